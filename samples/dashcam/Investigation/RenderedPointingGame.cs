using GradCam.Video.Investigation;
using GradCam.Dashcam.Training;
using GradCam.Dashcam.World;
using GradCam.Engine;
using GradCam.Imaging;
using GradCam.Models;

namespace GradCam.Dashcam.Investigation;

/// <summary>
/// The pointing game on held-out rendered frames: among frames the model calls <c>stop</c> and whose ground truth has
/// exactly one reason to stop, how often the Grad-CAM peak of <c>stop</c> falls on that reason's box, within the game's
/// usual 15-pixel tolerance (Zhang et al., 2016) scaled to the frame; also strictly inside it; and, energy-based, the
/// share of the heat inside the box (a hit when larger than the box's share of the image).
/// </summary>
public static class RenderedPointingGame
{
    /// <summary>The score: <paramref name="PointingAccuracy"/> with the game's 15-pixel tolerance (scaled), also strict (peak inside the box).</summary>
    public sealed record Score(string Model, int Frames, int Evaluated, double PointingAccuracy, double StrictPointingAccuracy,
                               double MeanEnergyInBox, double EnergyPointingAccuracy, IReadOnlyDictionary<string, double> AccuracyByReason);

    /// <summary>Plays the game on <paramref name="frames"/> freshly rendered scenes.</summary>
    public static Score Play(ImageClassifier model, int seed, int frames)
    {
        using var explainer = new GradCamExplainer(model);
        var sampler = new SceneSampler(seed);
        int evaluated = 0, hits = 0, strictHits = 0, energyHits = 0;
        double energy = 0;
        var byReason = new Dictionary<string, (int Hits, int Total)>();
        for (int i = 0; i < frames; i++)
        {
            var (scene, _) = sampler.Next(stop: true);
            var (image, truth) = SceneRenderer.Render(scene, Trainer.RenderWidth, Trainer.RenderHeight);
            using (image)
            {
                var reasons = truth.Objects.Where(o => o.ReasonToStop).ToList();
                if (reasons.Count != 1) continue;
                var e = explainer.Explain(image, target: StopGoModel.Stop, topK: 1);
                if (e.TopK[0].Index != StopGoModel.Stop) continue; // the game scores the frames the model calls stop
                var reason = reasons[0];
                var (px, py) = e.Heatmap.PeakIn(image.Width, image.Height);
                bool hit = reason.Distance(px, py) <= GradCam.Evaluation.PointingGame.Tolerance(image.Width);
                strictHits += reason.Contains(px, py) ? 1 : 0;
                double share = HeatAttribution.Shares(e.Heatmap, [new TruthObject(reason.Name, reason.X, reason.Y, reason.Width, reason.Height, true)], image.Width, image.Height)[0].HeatShare;
                double boxArea = (double)reason.Width * reason.Height / (image.Width * image.Height);
                evaluated++;
                hits += hit ? 1 : 0;
                energy += share;
                energyHits += share > boxArea ? 1 : 0; // more heat in the box than its area would get by chance
                var kind = reason.Kind.ToString();
                var (h, t) = byReason.GetValueOrDefault(kind);
                byReason[kind] = (h + (hit ? 1 : 0), t + 1);
            }
        }
        return new Score(model.Name, frames, evaluated, Ratio(hits, evaluated), Ratio(strictHits, evaluated), Math.Round(evaluated == 0 ? 0 : energy / evaluated, 4),
                         Ratio(energyHits, evaluated), byReason.ToDictionary(kv => kv.Key, kv => Ratio(kv.Value.Hits, kv.Value.Total)));
    }

    private static double Ratio(int a, int b) => b == 0 ? 0 : Math.Round((double)a / b, 4);
}
