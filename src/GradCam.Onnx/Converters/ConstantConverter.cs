using TorchSharp;
using static TorchSharp.torch;
using OnnxType = global::Onnx.TensorProto.Types.DataType;

namespace GradCam.Onnx.Converters;

/// <summary>Constant: a tensor, or (opset 12+) a float, int, or list of them; folded at import.</summary>
[OnnxOp("Constant", 1, 9, 11, 12, 13, 19, 21)]
internal sealed class ConstantConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        Tensor value;
        if (node.TensorAttribute("value") is { } proto) value = OnnxTensors.ToTorch(proto, null);
        else if (node.Has("value_float")) value = torch.tensor(node.Float("value_float", 0));
        else if (node.Floats("value_floats") is { } floats) value = torch.tensor(floats);
        else if (node.Has("value_int")) value = torch.tensor(node.Int("value_int", 0));
        else if (node.Ints("value_ints") is { } ints) value = torch.tensor(ints);
        else throw node.Error($"only tensor, float and int values are supported (attributes: {string.Join(", ", node.AttributeNames)})");
        return new FuncOp("Constant", _ => value.alias());
    }
}
