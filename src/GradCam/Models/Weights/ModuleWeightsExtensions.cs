using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models.Weights;

/// <summary>Loads state_dicts into TorchSharp modules, strictly.</summary>
public static class ModuleWeightsExtensions
{
    /// <summary>
    /// Reads a weights file (any <see cref="WeightsFormat"/>) and copies every tensor into the module.
    /// Every parameter and buffer must be present with its exact shape, and the file must hold nothing else;
    /// only BatchNorm's <c>num_batches_tracked</c> counters may be absent (older torchvision files lack them
    /// and they play no part in inference).
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="path">The weights file.</param>
    /// <returns>The detected format of the file.</returns>
    /// <exception cref="WeightsMismatchException">Keys are missing or unexpected, or shapes differ.</exception>
    public static WeightsFormat LoadWeights(this nn.Module module, string path)
    {
        using var stateDict = WeightsFile.Read(path);
        module.LoadWeights(stateDict, path);
        return stateDict.Format;
    }

    /// <summary>Copies a state_dict into a module, strictly (see <see cref="LoadWeights(nn.Module, string)"/>).</summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="stateDict">The tensors to copy; they stay owned by the caller.</param>
    /// <param name="source">A name for messages, such as the file path.</param>
    public static void LoadWeights(this nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        var target = module.state_dict();
        var missing = target.Keys.Where(k => !stateDict.ContainsKey(k) && !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToList();
        var unexpected = stateDict.Keys.Where(k => !target.ContainsKey(k)).ToList();
        var shapes = target.Where(kv => stateDict.TryGetValue(kv.Key, out var src) && !src.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key}: file [{string.Join(", ", stateDict[kv.Key].shape)}] vs model [{string.Join(", ", kv.Value.shape)}]")
            .ToList();
        if (missing.Count > 0 || unexpected.Count > 0 || shapes.Count > 0)
            throw new WeightsMismatchException(source, missing, unexpected, shapes);

        using var _ = torch.no_grad();
        foreach (var (name, dst) in target)
            if (stateDict.TryGetValue(name, out var src))
                dst.copy_(src);
    }
}
