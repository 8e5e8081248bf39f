namespace GradCam.Onnx.Tests.Converters;

/// <summary>
/// One small model per operator and attribute variant, each valid over a range of opsets: the tests build it at every
/// opset of its range from 7 to 21 and compare the import with ONNX Runtime.
/// </summary>
internal static class OperatorCases
{
    public sealed record Case(string Name, int MinOpset, int MaxOpset, Func<int, OnnxTestGraph> Build);

    private static readonly string[] X = ["x"];
    private static readonly string[] Y = ["y"];

    private static OnnxTestGraph Unary(int opset, string op, params (string, object)[] attributes) =>
        new OnnxTestGraph(opset).Input("x", 2, 3, 5, 4).Node(op, X, Y, attributes).Output("y");

    public static IReadOnlyList<Case> All { get; } =
    [
        // Convolutions
        new("Conv basic with bias", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 9, 8).Floats("w", [4, 3, 3, 3]).Floats("b", [4])
            .Node("Conv", ["x", "w", "b"], Y, ("kernel_shape", new long[] { 3, 3 })).Output("y")),
        new("Conv groups dilations strides asymmetric pads", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 4, 11, 10).Floats("w", [6, 2, 3, 3])
            .Node("Conv", ["x", "w"], Y, ("group", 2L), ("dilations", new long[] { 2, 1 }), ("strides", new long[] { 2, 3 }),
                  ("pads", new long[] { 1, 0, 2, 1 })).Output("y")),
        new("Conv auto_pad SAME_UPPER", 7, 21, o => new OnnxTestGraph(o).Input("x", 1, 3, 10, 9).Floats("w", [2, 3, 4, 3])
            .Node("Conv", ["x", "w"], Y, ("auto_pad", "SAME_UPPER"), ("strides", new long[] { 2, 2 })).Output("y")),
        new("Conv auto_pad SAME_LOWER", 7, 21, o => new OnnxTestGraph(o).Input("x", 1, 3, 10, 9).Floats("w", [2, 3, 4, 3])
            .Node("Conv", ["x", "w"], Y, ("auto_pad", "SAME_LOWER"), ("strides", new long[] { 2, 2 })).Output("y")),
        new("Conv auto_pad VALID", 7, 21, o => new OnnxTestGraph(o).Input("x", 1, 3, 10, 9).Floats("w", [2, 3, 3, 3])
            .Node("Conv", ["x", "w"], Y, ("auto_pad", "VALID")).Output("y")),

        // Linear algebra
        new("Gemm transB bias vector", 7, 21, o => new OnnxTestGraph(o).Input("x", 3, 6).Floats("w", [5, 6]).Floats("c", [5])
            .Node("Gemm", ["x", "w", "c"], Y, ("transB", 1L)).Output("y")),
        new("Gemm transA alpha beta matrix C", 7, 21, o => new OnnxTestGraph(o).Input("x", 6, 3).Floats("w", [6, 5]).Floats("c", [3, 5])
            .Node("Gemm", ["x", "w", "c"], Y, ("transA", 1L), ("alpha", 0.5f), ("beta", 2f)).Output("y")),
        new("Gemm without C", 11, 21, o => new OnnxTestGraph(o).Input("x", 3, 6).Floats("w", [6, 5])
            .Node("Gemm", ["x", "w"], Y).Output("y")),
        new("MatMul broadcast", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 4).Floats("w", [4, 5])
            .Node("MatMul", ["x", "w"], Y).Output("y")),

        // Element-wise with broadcasting, a constant and a dynamic operand
        ..new[] { "Add", "Sub", "Mul", "Div" }.Select(op => new Case($"{op} broadcast", 7, 21, o => new OnnxTestGraph(o)
            .Input("x", 2, 3, 4, 5).Input("z", 1, 3, 1, 5).Floats("c", [3, 1, 1], [0.5f, -1.5f, 2f])
            .Node(op, ["x", "c"], ["t"]).Node(op, ["t", "z"], Y).Output("y"))),

        // Activations
        new("Relu", 7, 21, o => Unary(o, "Relu")),
        new("LeakyRelu", 7, 21, o => Unary(o, "LeakyRelu", ("alpha", 0.2f))),
        new("PRelu per channel", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4).Floats("s", [3, 1, 1])
            .Node("PRelu", ["x", "s"], Y).Output("y")),
        new("Elu", 7, 21, o => Unary(o, "Elu", ("alpha", 0.5f))),
        new("Selu defaults", 7, 21, o => Unary(o, "Selu")),
        new("Selu attributes", 7, 21, o => Unary(o, "Selu", ("alpha", 1.2f), ("gamma", 0.9f))),
        new("Sigmoid", 7, 21, o => Unary(o, "Sigmoid")),
        new("HardSigmoid", 7, 21, o => Unary(o, "HardSigmoid", ("alpha", 0.3f), ("beta", 0.4f))),
        new("HardSwish", 14, 21, o => Unary(o, "HardSwish")),
        new("Tanh", 7, 21, o => Unary(o, "Tanh")),
        new("Clip attributes", 7, 10, o => Unary(o, "Clip", ("min", -0.5f), ("max", 0.7f))),
        new("Clip inputs", 11, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4).Scalar("lo", -0.5f).Scalar("hi", 0.7f)
            .Node("Clip", ["x", "lo", "hi"], Y).Output("y")),
        new("Clip max only", 11, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4).Scalar("hi", 0.7f)
            .Node("Clip", ["x", "", "hi"], Y).Output("y")),
        new("Softmax axis 1 of 4-D", 7, 21, o => Unary(o, "Softmax", ("axis", 1L))),
        new("Softmax default axis", 7, 21, o => Unary(o, "Softmax")),
        new("LogSoftmax axis 2 of 4-D", 7, 21, o => Unary(o, "LogSoftmax", ("axis", 2L))),

        // Transformer blocks: LayerNorm, exact GELU, and what attention masks and token shifts are built from
        new("LayerNormalization last axis", 17, 21, o => new OnnxTestGraph(o).Input("x", 2, 5, 6).Floats("s", [6]).Floats("b", [6])
            .Node("LayerNormalization", ["x", "s", "b"], Y, ("epsilon", 1e-5f)).Output("y")),
        new("LayerNormalization from axis 1 without bias", 17, 21, o => new OnnxTestGraph(o).Input("x", 2, 5, 6).Floats("s", [5, 6])
            .Node("LayerNormalization", ["x", "s"], Y, ("axis", 1L)).Output("y")),
        new("Erf", 9, 21, o => Unary(o, "Erf")),
        new("Sqrt of a square", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4)
            .Node("Mul", ["x", "x"], ["t"]).Node("Sqrt", ["t"], Y).Output("y")),
        new("Pow broadcast exponent", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 4).Floats("e", [4], [2f, 0.5f, 3f, 1.5f])
            .Node("Mul", ["x", "x"], ["t"]).Node("Pow", ["t", "e"], Y).Output("y")),
        new("Equal Not Where", 11, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 4).Floats("m", [4], [1f, 0f, 1f, 0f])
            .Node("Mul", ["x", "m"], ["t"]).Node("Equal", ["t", "x"], ["same"]).Node("Not", ["same"], ["differ"])
            .Node("Neg", ["x"], ["n"]).Node("Where", ["differ", "x", "n"], Y).Output("y")),
        new("Expand broadcast", 8, 21, o => new OnnxTestGraph(o).Input("x", 3, 1).Ints("shape", 2, 1, 4)
            .Node("Expand", ["x", "shape"], Y).Output("y")),
        new("Mod fmod", 10, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 4).Floats("d", [4], [0.3f, -0.7f, 0.5f, 1.1f])
            .Node("Mod", ["x", "d"], Y, ("fmod", 1L)).Output("y")),
        new("Mod integers sign of divisor", 10, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 4).Scalar("ten", 10f).Ints("d", [4], [3, -4, 5, 7])
            .Node("Mul", ["x", "ten"], ["t"]).Node("Cast", ["t"], ["i"], ("to", 7L)).Node("Mod", ["i", "d"], ["r"])
            .Node("Cast", ["r"], Y, ("to", 1L)).Output("y")),
        new("ScatterND rows", 11, 21, o => new OnnxTestGraph(o).Input("x", 4, 3).Ints("i", [2, 1], [3, -4]).Floats("u", [2, 3])
            .Node("ScatterND", ["x", "i", "u"], Y).Output("y")),
        new("ScatterND elements add", 16, 21, o => new OnnxTestGraph(o).Input("x", 4, 3).Ints("i", [3, 2], [0, 1, 3, 2, 1, 0]).Floats("u", [3])
            .Node("ScatterND", ["x", "i", "u"], Y, ("reduction", "add")).Output("y")),

        // Resizing, as detector necks and segmentation heads upsample
        new("Resize nearest asymmetric floor by scales", 11, 21, o => new OnnxTestGraph(o).Input("x", 1, 2, 3, 4).Floats("roi", [0], []).Floats("s", [4], [1f, 1f, 2f, 2f])
            .Node("Resize", ["x", "roi", "s"], Y, ("mode", "nearest"), ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor")).Output("y")),
        new("Resize linear half_pixel by sizes", 11, 21, o => new OnnxTestGraph(o).Input("x", 1, 2, 3, 4).Floats("roi", [0], []).Floats("s", [0], []).Ints("n", 1, 2, 7, 9)
            .Node("Resize", ["x", "roi", "s", "n"], Y, ("mode", "linear")).Output("y")),
        new("Resize linear align_corners by sizes", 11, 21, o => new OnnxTestGraph(o).Input("x", 1, 2, 3, 4).Floats("roi", [0], []).Floats("s", [0], []).Ints("n", 1, 2, 5, 7)
            .Node("Resize", ["x", "roi", "s", "n"], Y, ("mode", "linear"), ("coordinate_transformation_mode", "align_corners")).Output("y")),
        new("Resize opset 10 nearest", 10, 10, o => new OnnxTestGraph(o).Input("x", 1, 2, 3, 4).Floats("s", [4], [1f, 1f, 2f, 3f])
            .Node("Resize", ["x", "s"], Y).Output("y")),
        new("Upsample nearest", 9, 9, o => new OnnxTestGraph(o).Input("x", 1, 2, 3, 4).Floats("s", [4], [1f, 1f, 2f, 2f])
            .Node("Upsample", ["x", "s"], Y).Output("y")),

        // Pools
        new("MaxPool basic", 7, 21, o => Unary(o, "MaxPool", ("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 }))),
        new("MaxPool asymmetric pads", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 9, 8)
            .Node("MaxPool", X, Y, ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 0, 0 })).Output("y")),
        new("MaxPool ceil_mode", 10, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 9, 8)
            .Node("MaxPool", X, Y, ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("ceil_mode", 1L)).Output("y")),
        new("MaxPool dilations", 10, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 9, 8)
            .Node("MaxPool", X, Y, ("kernel_shape", new long[] { 2, 2 }), ("dilations", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 })).Output("y")),
        new("MaxPool SAME_UPPER", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 9, 8)
            .Node("MaxPool", X, Y, ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("auto_pad", "SAME_UPPER")).Output("y")),
        new("AveragePool exclude pad", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 9, 8)
            .Node("AveragePool", X, Y, ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 })).Output("y")),
        new("AveragePool include pad", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 9, 8)
            .Node("AveragePool", X, Y, ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }), ("count_include_pad", 1L)).Output("y")),
        new("AveragePool asymmetric exclude", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 9, 8)
            .Node("AveragePool", X, Y, ("kernel_shape", new long[] { 3, 2 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 2, 0, 1, 1 })).Output("y")),
        new("AveragePool asymmetric include", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 9, 8)
            .Node("AveragePool", X, Y, ("kernel_shape", new long[] { 3, 2 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 2, 0, 1, 1 }), ("count_include_pad", 1L)).Output("y")),
        new("AveragePool ceil_mode", 10, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 9, 8)
            .Node("AveragePool", X, Y, ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("ceil_mode", 1L)).Output("y")),
        new("GlobalAveragePool", 7, 21, o => Unary(o, "GlobalAveragePool")),
        new("GlobalMaxPool", 7, 21, o => Unary(o, "GlobalMaxPool")),

        // Normalisation
        new("BatchNormalization", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4).Floats("s", [3]).Floats("b", [3]).Floats("m", [3])
            .Floats("v", [3], [0.5f, 1.5f, 2f]).Node("BatchNormalization", ["x", "s", "b", "m", "v"], Y, ("epsilon", 1e-3f)).Output("y")),
        new("BatchNormalization spatial 0 (CNTK)", 7, 8, o => new OnnxTestGraph(o).Input("x", 2, 3, 2, 2).Floats("s", [3, 2, 2]).Floats("b", [3, 2, 2])
            .Floats("m", [3, 2, 2]).Floats("v", [3, 2, 2], Enumerable.Range(1, 12).Select(i => i / 4f).ToArray())
            .Node("BatchNormalization", ["x", "s", "b", "m", "v"], Y, ("spatial", 0L)).Output("y")),
        new("InstanceNormalization", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4).Floats("s", [3]).Floats("b", [3])
            .Node("InstanceNormalization", ["x", "s", "b"], Y).Output("y")),
        new("LRN odd size", 7, 21, o => Unary(o, "LRN", ("size", 3L), ("alpha", 0.01f), ("beta", 0.6f), ("bias", 2f))),

        // Shapes
        new("Flatten axis 1", 7, 21, o => Unary(o, "Flatten")),
        new("Flatten axis 2", 7, 21, o => Unary(o, "Flatten", ("axis", 2L))),
        new("Reshape 0 and -1", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4).Ints("s", 0, -1, 4)
            .Node("Reshape", ["x", "s"], Y).Output("y")),
        new("Squeeze axes attribute", 7, 12, o => new OnnxTestGraph(o).Input("x", 2, 1, 5, 1)
            .Node("Squeeze", X, Y, ("axes", new long[] { 1, 3 })).Output("y")),
        new("Squeeze axes input", 13, 21, o => new OnnxTestGraph(o).Input("x", 2, 1, 5, 1).Ints("a", 1, -1)
            .Node("Squeeze", ["x", "a"], Y).Output("y")),
        new("Unsqueeze axes attribute", 7, 12, o => new OnnxTestGraph(o).Input("x", 2, 3, 5)
            .Node("Unsqueeze", X, Y, ("axes", new long[] { 1, 4 })).Output("y")),
        new("Unsqueeze axes input", 13, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5).Ints("a", 1, -1)
            .Node("Unsqueeze", ["x", "a"], Y).Output("y")),
        new("Concat", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 4, 5).Input("z", 2, 2, 4, 5).Floats("c", [2, 1, 4, 5])
            .Node("Concat", ["x", "z", "c"], Y, ("axis", 1L)).Output("y")),
        new("Split attribute", 7, 12, o => new OnnxTestGraph(o).Input("x", 2, 6, 4, 5)
            .Node("Split", X, ["a", "b"], ("axis", 1L), ("split", new long[] { 2, 4 })).Output("a", "b")),
        new("Split input", 13, 21, o => new OnnxTestGraph(o).Input("x", 2, 6, 4, 5).Ints("s", 2, 4)
            .Node("Split", ["x", "s"], ["a", "b"], ("axis", 1L)).Output("a", "b")),
        new("Split equal", 7, 17, o => new OnnxTestGraph(o).Input("x", 2, 6, 4, 5)
            .Node("Split", X, ["a", "b", "c"], ("axis", -3L)).Output("a", "b", "c")),
        new("Split num_outputs", 18, 21, o => new OnnxTestGraph(o).Input("x", 2, 7, 4, 5)
            .Node("Split", X, ["a", "b"], ("axis", 1L), ("num_outputs", 2L)).Output("a", "b")),
        new("Slice attributes", 7, 9, o => new OnnxTestGraph(o).Input("x", 2, 6, 4, 5)
            .Node("Slice", X, Y, ("starts", new long[] { 1, -3 }), ("ends", new long[] { 5, 1000 }), ("axes", new long[] { 1, 3 })).Output("y")),
        new("Slice inputs with steps", 10, 21, o => new OnnxTestGraph(o).Input("x", 2, 6, 4, 5).Ints("st", 0, -1).Ints("en", 6, -6).Ints("ax", 1, 3).Ints("sp", 2, -2)
            .Node("Slice", ["x", "st", "en", "ax", "sp"], Y).Output("y")),
        new("Transpose", 7, 21, o => Unary(o, "Transpose", ("perm", new long[] { 0, 2, 3, 1 }))),
        new("Pad constant attributes", 7, 10, o => Unary(o, "Pad", ("pads", new long[] { 0, 0, 1, 2, 0, 0, 2, 1 }), ("value", 0.5f))),
        new("Pad reflect attributes", 7, 10, o => Unary(o, "Pad", ("mode", "reflect"), ("pads", new long[] { 0, 0, 1, 2, 0, 0, 2, 1 }))),
        new("Pad constant inputs", 11, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4).Ints("p", 0, 0, 1, 2, 0, 0, 2, 1).Scalar("v", 0.5f)
            .Node("Pad", ["x", "p", "v"], Y).Output("y")),
        new("Pad edge inputs", 11, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4).Ints("p", 0, 0, 1, 2, 0, 0, 2, 1)
            .Node("Pad", ["x", "p"], Y, ("mode", "edge")).Output("y")),
        new("Pad axes", 18, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4).Ints("p", 1, 2, 2, 1).Scalar("v", -1f).Ints("a", 2, 3)
            .Node("Pad", ["x", "p", "v", "a"], Y).Output("y")),
        new("Dropout", 7, 21, o => Unary(o, "Dropout")),
        new("Identity", 7, 21, o => Unary(o, "Identity")),
        new("Constant", 7, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4)
            .Node("Constant", [], ["k"], ("value", TensorOf([1, 3, 1, 1], 1f, -2f, 3f))).Node("Mul", ["x", "k"], Y).Output("y")),
        new("ReduceMean axes attribute", 7, 17, o => Unary(o, "ReduceMean", ("axes", new long[] { 2, 3 }), ("keepdims", 0L))),
        new("ReduceMean axes input", 18, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4).Ints("a", 1, -1)
            .Node("ReduceMean", ["x", "a"], Y).Output("y")),
        // Shape arithmetic that folds for a fixed input size
        new("Shape Gather ConstantOfShape Cast Range", 11, 21, o => new OnnxTestGraph(o).Input("x", 2, 3, 5, 4)
            .Ints("i", 2, 3).Ints("one", 1).Ints("zero", 0).Ints("chan", 1).Ints("s4", 1, 3, 1, 1)
            .Node("Shape", X, ["shape"]).Node("Gather", ["shape", "i"], ["hw"]).Node("Gather", ["shape", "chan"], ["c"])
            .Node("ConstantOfShape", ["hw"], ["half"], ("value", TensorOf([1], 0.5f)))
            .Node("Squeeze", o >= 13 ? ["c", "zero"] : ["c"], ["c0"], o >= 13 ? [] : [("axes", new long[] { 0 })])
            .Node("Squeeze", o >= 13 ? ["one", "zero"] : ["one"], ["one0"], o >= 13 ? [] : [("axes", new long[] { 0 })])
            .Node("Squeeze", o >= 13 ? ["zero", "zero"] : ["zero"], ["zero0"], o >= 13 ? [] : [("axes", new long[] { 0 })])
            .Node("Range", ["zero0", "c0", "one0"], ["r"]).Node("Cast", ["r"], ["rf"], ("to", 1L)).Node("Reshape", ["rf", "s4"], ["rs"])
            .Node("Mul", ["x", "rs"], ["t"]).Node("Add", ["t", "half"], Y).Output("y")),
    ];

    private static global::Onnx.TensorProto TensorOf(long[] shape, params float[] values)
    {
        var t = new global::Onnx.TensorProto { DataType = 1 };
        t.Dims.AddRange(shape);
        t.FloatData.AddRange(values);
        return t;
    }
}
