using GradCam.Onnx;
using Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Onnx.Tests.Converters;

/// <summary>Every supported operator variant at every opset it exists in from 7 to 21: the import equals ONNX Runtime to 1e-5.</summary>
public sealed class OperatorTests
{
    public static TheoryData<string> Cases() => new(OperatorCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Import_equals_OnnxRuntime_at_every_opset(string name)
    {
        var @case = OperatorCases.All.Single(c => c.Name == name);
        int checkedOpsets = 0;
        for (int opset = Math.Max(7, @case.MinOpset); opset <= @case.MaxOpset; opset++)
        {
            var graph = @case.Build(opset);
            var bytes = graph.Bytes();
            var expected = OnnxRuntimeOracle.Run(bytes, graph.Inputs);

            using var imported = OnnxModel.ImportGraph(ModelProto.Parser.ParseFrom(bytes),
                                                       graph.Inputs.ToDictionary(kv => kv.Key, kv => kv.Value.Shape.Select(d => (long)d).ToArray()));
            using var scope = torch.NewDisposeScope();
            var inputs = graph.Inputs.Values.Select(i => torch.tensor(i.Data, i.Shape.Select(d => (long)d).ToArray())).ToArray();
            var outputs = imported.Run(inputs);
            Assert.Equal(expected.Count, outputs.Length);
            for (int i = 0; i < outputs.Length; i++)
            {
                Assert.Equal(expected[i].Shape.Select(d => (long)d), outputs[i].shape);
                Assertions.Close(expected[i].Values, outputs[i].to_type(ScalarType.Float32).data<float>().ToArray(), rel: 1e-5, abs: 1e-6,
                                 what: $"{name} at opset {opset}, output {expected[i].Name}");
            }
            checkedOpsets++;
        }
        Assert.True(checkedOpsets > 0);
    }

    [Fact]
    public void Every_registered_operator_has_a_case()
    {
        var tested = OperatorCases.All.SelectMany(c => c.Build(Math.Max(7, c.MinOpset)).Model.Graph.Node.Select(n => n.OpType)).ToHashSet();
        var untested = GradCam.Onnx.Converters.OnnxConverterRegistry.Supported.Select(s => s.Op).Where(op => !tested.Contains(op)).ToList();
        Assert.True(untested.Count == 0, $"operators without a test case: {string.Join(", ", untested)}");
    }
}
