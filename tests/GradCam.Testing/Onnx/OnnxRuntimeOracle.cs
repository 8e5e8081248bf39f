using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GradCam.Testing;

/// <summary>ONNX Runtime, the independent reference every imported model is checked against.</summary>
public static class OnnxRuntimeOracle
{
    /// <summary>Runs a model on named float inputs and returns every output as floats with its shape.</summary>
    public static IReadOnlyList<(string Name, float[] Values, int[] Shape)> Run(byte[] model, IReadOnlyDictionary<string, (float[] Data, int[] Shape)> inputs)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        return Run(session, inputs);
    }

    /// <summary>Runs a model file.</summary>
    public static IReadOnlyList<(string Name, float[] Values, int[] Shape)> Run(string path, IReadOnlyDictionary<string, (float[] Data, int[] Shape)> inputs)
    {
        using var session = new InferenceSession(path);
        return Run(session, inputs);
    }

    private static IReadOnlyList<(string Name, float[] Values, int[] Shape)> Run(InferenceSession session, IReadOnlyDictionary<string, (float[] Data, int[] Shape)> inputs)
    {
        var values = inputs.Select(kv => NamedOnnxValue.CreateFromTensor(kv.Key, new DenseTensor<float>(kv.Value.Data, kv.Value.Shape))).ToList();
        using var results = session.Run(values);
        return results.Select(r =>
        {
            var t = r.AsTensor<float>();
            return (r.Name, t.ToArray(), t.Dimensions.ToArray());
        }).ToList();
    }
}
