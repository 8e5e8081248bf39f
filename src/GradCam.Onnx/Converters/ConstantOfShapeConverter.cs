using TorchSharp;
using static TorchSharp.torch;
using OnnxType = global::Onnx.TensorProto.Types.DataType;

namespace GradCam.Onnx.Converters;

/// <summary>ConstantOfShape: a tensor of the given shape filled with <c>value</c> (float 0 by default).</summary>
[OnnxOp("ConstantOfShape", 9, 20, 21)]
internal sealed class ConstantOfShapeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        var fill = node.TensorAttribute("value") is { } proto ? OnnxTensors.ToTorch(proto, null) : torch.zeros(1);
        var type = fill.dtype;
        double value = fill.numel() > 0 ? fill.to_type(ScalarType.Float64).flatten()[0].item<double>() : 0;
        fill.Dispose();
        return new FuncOp("ConstantOfShape", x =>
        {
            using var cpu = x[0]!.cpu();
            return torch.full(cpu.data<long>().ToArray(), value, type);
        });
    }
}
