using System.Diagnostics;
using GradCam.Dashcam.World;
using GradCam.Imaging;
using GradCam.Models;
using GradCam.Models.Architectures;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Dashcam.Training;

/// <summary>Trains the stop/go CNN on freshly rendered scenes and measures it on a held-out set.</summary>
public static class Trainer
{
    /// <summary>Frames are rendered at this size and resized by the same preprocessing as inference.</summary>
    public const int RenderWidth = 320, RenderHeight = 180;

    /// <summary>Training settings.</summary>
    public sealed record Options(DatasetBias Bias, int Seed, int Epochs = 8, int ScenesPerEpoch = 3000, int BatchSize = 50, double LearningRate = 2e-3);

    /// <summary>Renders scenes into a normalised batch and labels.</summary>
    public static (Tensor Images, Tensor Labels) Batch(SceneSampler sampler, int count)
    {
        var images = new List<OpenCvSharp.Mat>(count);
        var labels = new long[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                var (scene, stop) = sampler.Next();
                var (image, _) = SceneRenderer.Render(scene, RenderWidth, RenderHeight);
                images.Add(image);
                labels[i] = stop ? StopGoModel.Stop : 0;
            }
            return (ImagePreprocessor.ToBatch(images, StopGoModel.Input), torch.tensor(labels));
        }
        finally
        {
            foreach (var m in images) m.Dispose();
        }
    }

    /// <summary>Trains a model; prints progress; returns it in eval mode as a classifier.</summary>
    public static ImageClassifier Train(Options options, TextWriter log)
    {
        torch.random.manual_seed(options.Seed);
        var net = new Vgg(StopGoModel.Architecture);
        var optimizer = torch.optim.Adam(net.parameters(), options.LearningRate);
        var scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, options.Epochs);
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            var sampler = new SceneSampler(options.Seed * 1000 + epoch, options.Bias);
            net.train();
            double lossSum = 0;
            int correct = 0, seen = 0;
            for (int b = 0; b < options.ScenesPerEpoch / options.BatchSize; b++)
            {
                using var scope = torch.NewDisposeScope();
                var (x, y) = Batch(sampler, options.BatchSize);
                var logits = net.call(x);
                var loss = nn.functional.cross_entropy(logits, y);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * options.BatchSize;
                correct += (int)logits.argmax(1).eq(y).sum().item<long>();
                seen += options.BatchSize;
            }
            scheduler.step();
            log.WriteLine($"epoch {epoch + 1}/{options.Epochs}: loss {lossSum / seen:0.000}, training accuracy {100.0 * correct / seen:0.0}% ({clock.Elapsed:mm\\:ss})");
        }
        net.eval();
        return new ImageClassifier(options.Bias == DatasetBias.None ? "honest" : "shortcut", net, StopGoModel.Labels, net.LastConvLayer, StopGoModel.Input);
    }

    /// <summary>Accuracy on freshly rendered, unbiased held-out scenes.</summary>
    public static double Accuracy(ImageClassifier model, int seed, int count = 1000)
    {
        var sampler = new SceneSampler(seed);
        int correct = 0;
        for (int done = 0; done < count; done += 100)
        {
            using var scope = torch.NewDisposeScope();
            var (x, y) = Batch(sampler, Math.Min(100, count - done));
            using var noGrad = torch.no_grad();
            correct += (int)model.Module.call(x).argmax(1).eq(y).sum().item<long>();
        }
        return (double)correct / count;
    }
}
