using System.Diagnostics;
using GradCam.Dashcam.Training;
using GradCam.Dashcam.World;
using GradCam.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Dashcam.Detection;

/// <summary>
/// Trains <see cref="DetectorNet"/> on freshly rendered scenes, whose ground truth has every object's box. Each object
/// is assigned to the grid cell holding its centre (as YOLO does): that cell learns its class (binary cross-entropy
/// over every cell and class, the others learning 0) and its box (L1 on centre and size, in input fractions).
/// </summary>
public static class DetectorTrainer
{
    /// <summary>Training settings.</summary>
    public sealed record Options(int Seed = 1, int Epochs = 10, int ScenesPerEpoch = 2000, int BatchSize = 32, double LearningRate = 3e-3);

    /// <summary>Scenes rendered and preprocessed as the model sees them, with each object's class and box in input pixels.</summary>
    public static (Tensor Images, List<(int Class, float X1, float Y1, float X2, float Y2)>[] Objects) Batch(SceneSampler sampler, int count)
    {
        var images = new List<OpenCvSharp.Mat>(count);
        var objects = new List<(int, float, float, float, float)>[count];
        double sx = (double)DetectorNet.Input.Width / Trainer.RenderWidth, sy = (double)DetectorNet.Input.Height / Trainer.RenderHeight;
        try
        {
            for (int i = 0; i < count; i++)
            {
                var (scene, _) = sampler.Next();
                var (image, truth) = SceneRenderer.Render(scene, Trainer.RenderWidth, Trainer.RenderHeight);
                images.Add(image);
                objects[i] = truth.Objects.Where(o => DetectorClasses.Of(o) is not null && o.Width > 1 && o.Height > 1)
                    .Select(o => (DetectorClasses.Of(o)!.Value, (float)(o.X * sx), (float)(o.Y * sy), (float)((o.X + o.Width) * sx), (float)((o.Y + o.Height) * sy)))
                    .ToList();
            }
            return (ImagePreprocessor.ToBatch(images, DetectorNet.Input), objects);
        }
        finally
        {
            foreach (var m in images) m.Dispose();
        }
    }

    /// <summary>Trains a detector, printing progress; returns it in eval mode.</summary>
    public static DetectorNet Train(Options options, TextWriter log)
    {
        torch.random.manual_seed(options.Seed);
        var net = new DetectorNet(DetectorClasses.Labels.Count);
        var optimizer = torch.optim.Adam(net.parameters(), options.LearningRate);
        var scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, options.Epochs);
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            var sampler = new SceneSampler(options.Seed * 1000 + epoch);
            net.train();
            double lossSum = 0;
            int batches = Math.Max(1, options.ScenesPerEpoch / options.BatchSize);
            for (int b = 0; b < batches; b++)
            {
                using var scope = torch.NewDisposeScope();
                var (x, objects) = Batch(sampler, options.BatchSize);
                var loss = Loss(net.Raw(x), objects);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
            }
            scheduler.step();
            log.WriteLine($"epoch {epoch + 1}/{options.Epochs}: loss {lossSum / batches:0.0000} ({clock.Elapsed:mm\\:ss})");
        }
        net.eval();
        return net;
    }

    /// <summary>Class BCE over every cell plus L1 on the boxes of the cells that hold an object's centre.</summary>
    private static Tensor Loss(Tensor raw, List<(int Class, float X1, float Y1, float X2, float Y2)>[] objects)
    {
        long n = raw.shape[0], c = raw.shape[1] - 4, h = raw.shape[2], w = raw.shape[3];
        float width = w * DetectorNet.Stride, height = h * DetectorNet.Stride;
        var classTargets = new float[n * c * h * w];
        var boxIndex = new List<long>();
        var boxTargets = new List<float>();
        for (int i = 0; i < n; i++)
            foreach (var (cls, x1, y1, x2, y2) in objects[i])
            {
                float cx = (x1 + x2) / 2, cy = (y1 + y2) / 2;
                int gx = Math.Clamp((int)(cx / DetectorNet.Stride), 0, (int)w - 1), gy = Math.Clamp((int)(cy / DetectorNet.Stride), 0, (int)h - 1);
                classTargets[((i * c + cls) * h + gy) * w + gx] = 1;
                boxIndex.Add((i * h + gy) * w + gx);
                boxTargets.AddRange([cx / width, cy / height, (x2 - x1) / width, (y2 - y1) / height]);
            }
        var targets = torch.tensor(classTargets, [n, c, h, w]);
        // Objects are a few cells among 240: weigh the positives up so that they are not drowned.
        var classLoss = nn.functional.binary_cross_entropy_with_logits(raw.narrow(1, 4, c), targets, pos_weights: torch.full([c, 1, 1], 20f));
        if (boxIndex.Count == 0) return classLoss;
        var decoded = DetectorNet.Decode(raw);                                            // [n, 4 + c, h*w]
        var boxes = decoded.narrow(1, 0, 4).permute(0, 2, 1).reshape(-1, 4);              // [n*h*w, 4]
        var scale = torch.tensor(new[] { width, height, width, height });
        var predicted = boxes.index_select(0, torch.tensor(boxIndex.ToArray())) / scale;
        var boxLoss = nn.functional.l1_loss(predicted, torch.tensor(boxTargets.ToArray()).view(-1, 4));
        return classLoss + 5 * boxLoss;
    }
}
