using static TorchSharp.torch;

namespace GradCam.Onnx;

/// <summary>
/// Another runtime that runs the first part of an imported graph, up to the target layer, where no gradient is needed
/// (the hybrid engine, <see cref="OnnxImportOptions.Prefix"/>). The rest of the graph stays in TorchSharp, which
/// differentiates it. The package <c>GradCam.OnnxRuntime</c> provides ONNX Runtime as one.
/// </summary>
public interface IOnnxPrefixRuntime
{
    /// <summary>The runtime's name, for messages (e.g. <c>ONNX Runtime</c>).</summary>
    string Name { get; }

    /// <summary>Prepares a model (the graph's first part, whose outputs are the tensors the rest reads).</summary>
    /// <param name="model">The ONNX model's bytes.</param>
    /// <returns>A session; the graph disposes it.</returns>
    IOnnxPrefixSession Open(byte[] model);
}

/// <summary>A prepared first part of a graph.</summary>
public interface IOnnxPrefixSession : IDisposable
{
    /// <summary>Runs the part on one input batch.</summary>
    /// <param name="inputName">The graph input's name.</param>
    /// <param name="input">The input, contiguous on the CPU, in the graph's own layout.</param>
    /// <param name="outputs">The tensors to return, by name.</param>
    /// <returns>One new CPU tensor per output name (float32, int64 or bool), in order.</returns>
    Tensor[] Run(string inputName, Tensor input, IReadOnlyList<string> outputs);
}
