using GradCam.Onnx;
using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.OnnxRuntime;

/// <summary>
/// ONNX Runtime (CPU) as the first part of the hybrid engine: pass <see cref="Instance"/> as
/// <see cref="OnnxImportOptions.Prefix"/>. The graph up to the target layer then runs on ONNX Runtime, which needs no
/// gradient there, and TorchSharp differentiates only the layers after it.
/// </summary>
public sealed class OnnxRuntimePrefix : IOnnxPrefixRuntime
{
    private OnnxRuntimePrefix()
    {
    }

    /// <summary>The ONNX Runtime CPU engine, with as many threads as TorchSharp uses.</summary>
    public static OnnxRuntimePrefix Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "ONNX Runtime";

    /// <inheritdoc />
    public IOnnxPrefixSession Open(byte[] model)
    {
        var options = new SessionOptions { IntraOpNumThreads = torch.get_num_threads(), GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        // TorchSharp's threads run right after ONNX Runtime's: ONNX Runtime's must not spin on the cores waiting for work.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            return new Session(new InferenceSession(model, options), options);
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private sealed class Session(InferenceSession session, SessionOptions options) : IOnnxPrefixSession
    {
        private readonly object _gate = new();

        public Tensor[] Run(string inputName, Tensor input, IReadOnlyList<string> outputs)
        {
            var data = input.data<float>().ToArray();
            using var value = OrtValue.CreateTensorValueFromMemory(data, input.shape);
            IDisposableReadOnlyCollection<OrtValue> results;
            lock (_gate)
            {
                using var runOptions = new RunOptions();
                results = session.Run(runOptions, [inputName], [value], outputs.ToArray());
            }
            using (results)
                return results.Select(ToTorch).ToArray();
        }

        private static Tensor ToTorch(OrtValue value)
        {
            var info = value.GetTensorTypeAndShape();
            var shape = info.Shape;
            return info.ElementDataType switch
            {
                TensorElementType.Float => torch.tensor(value.GetTensorDataAsSpan<float>().ToArray(), shape),
                TensorElementType.Int64 => torch.tensor(value.GetTensorDataAsSpan<long>().ToArray(), shape),
                TensorElementType.Bool => torch.tensor(value.GetTensorDataAsSpan<bool>().ToArray(), shape),
                var other => throw new NotSupportedException($"ONNX Runtime returned a {other} tensor; the hybrid engine hands over float, int64 and bool tensors"),
            };
        }

        public void Dispose()
        {
            session.Dispose();
            options.Dispose();
        }
    }
}
