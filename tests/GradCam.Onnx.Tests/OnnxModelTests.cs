using Google.Protobuf;
using GradCam.Engine;
using GradCam.Models;
using GradCam.Onnx;
using Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Onnx.Tests;

/// <summary>Importing classifiers: outputs, layouts, sizes, weight storage, packaging, and every way a file can be refused.</summary>
public sealed class OnnxModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-onnx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static float[] Floats(Tensor t) => t.data<float>().ToArray();

    [Theory]
    [InlineData("Softmax", 11)]
    [InlineData("Softmax", 13)]
    [InlineData("LogSoftmax", 13)]
    public void A_final_softmax_is_left_out_the_logit_is_explained_and_the_probabilities_are_the_models_own(string final, int opset)
    {
        var graph = OnnxTestGraph.TinyClassifier(opset, final);
        graph.Model.Graph.Output.Add(new ValueInfoProto { Name = "logits" });  // let ONNX Runtime show the logits too
        string path = graph.Save(PathOf("tiny.onnx"));
        var input = graph.Inputs["input"];
        var ort = OnnxRuntimeOracle.Run(path, graph.Inputs);

        using var model = OnnxModel.Load(path, new OnnxImportOptions { Preprocessing = "none" });
        Assert.True(model.ExplainsSoftmaxInput);
        using var explainer = new GradCamExplainer(model);
        using var x = torch.tensor(input.Data, [1, 3, 32, 32]);
        var e = explainer.Explain(x)[0];
        var logits = ort.Single(o => o.Name == "logits").Values;
        var scores = ort.Single(o => o.Name == "scores").Values;
        var probabilities = final == "LogSoftmax" ? scores.Select(MathF.Exp).ToArray() : scores;
        Assertions.Close(probabilities, e.Probabilities, rel: 1e-5, what: "probabilities");
        Assert.Equal(logits[e.TargetClass], e.TargetLogit, 4);  // the raw score explained is the logit
        Assert.Equal(Array.IndexOf(logits, logits.Max()), e.TargetClass);
    }

    [Fact]
    public void Without_a_softmax_the_output_is_explained_as_it_is()
    {
        string path = OnnxTestGraph.TinyClassifier(final: null).Save(PathOf("plain.onnx"));
        using var model = OnnxModel.Load(path);
        Assert.False(model.ExplainsSoftmaxInput);
        Assert.Equal(["class 0", "class 1", "class 2"], model.Labels);
        Assert.Equal("relu2", model.DefaultLayer);
        Assert.Equal(["conv1", "relu1", "pool", "conv2", "relu2"], model.LayerNames());
    }

    [Fact]
    public void Every_node_is_a_layer_by_node_name_and_by_output_name()
    {
        string path = OnnxTestGraph.TinyClassifier().Save(PathOf("tiny.onnx"));
        using var model = OnnxModel.Load(path);
        using var x = torch.randn(2, 3, 32, 32);
        using var byNode = new GradCamExplainer(model, "conv2");
        using var byOutput = new GradCamExplainer(model, "c2");
        var a = byNode.Explain(x);
        var b = byOutput.Explain(x);
        for (int i = 0; i < 2; i++) Assert.Equal(a[i].Cam.Data, b[i].Cam.Data);
        Assert.Equal(16, a[0].Cam.Height);

        var unknown = Assert.Throws<ArgumentException>(() => new GradCamExplainer(model, "conv9"));
        Assert.Contains("unknown layer 'conv9'", unknown.Message);
        Assert.Contains("conv1, relu1, pool, conv2, relu2", unknown.Message);
    }

    [Fact]
    public void A_channels_last_model_takes_images_as_NCHW_and_its_feature_maps_are_captured_as_NCHW()
    {
        // Keras/tf2onnx layout: NHWC input, transposes around an NCHW convolution, a channels-last feature map at the end.
        var g = new OnnxTestGraph(13).Input("image", 1, 12, 10, 3).Floats("w", [4, 3, 3, 3]).Floats("m", [4, 5]).Floats("b", [5]).Ints("axes", 1, 2)
            .Node("Transpose", ["image"], ["nchw"], ("perm", new long[] { 0, 3, 1, 2 }))
            .Node("Conv", ["nchw", "w"], ["conv"], ("pads", new long[] { 1, 1, 1, 1 })).Named("conv")
            .Node("Relu", ["conv"], ["relu"]).Named("relu")
            .Node("Transpose", ["relu"], ["nhwc"], ("perm", new long[] { 0, 2, 3, 1 })).Named("to_nhwc")
            .Node("ReduceMean", ["nhwc"], ["pooled"], ("axes", new long[] { 1, 2 }), ("keepdims", 0L))
            .Node("MatMul", ["pooled", "m"], ["mm"]).Node("Add", ["mm", "b"], ["scores"]).Output("scores");
        string path = g.Save(PathOf("nhwc.onnx"));
        var nhwc = g.Inputs["image"];
        var expected = OnnxRuntimeOracle.Run(path, g.Inputs)[0].Values;

        using var model = OnnxModel.Load(path);
        Assert.Equal((10, 12), (model.Input.Width, model.Input.Height));
        Assert.Equal("to_nhwc", model.DefaultLayer);
        using var hwc = torch.tensor(nhwc.Data, [1, 12, 10, 3]);
        using var nchw = hwc.permute(0, 3, 1, 2).contiguous();
        using (torch.no_grad())
        using (var ours = model.Module.call(nchw))
            Assertions.Close(expected, Floats(ours), rel: 1e-5, what: "scores");

        using var atTranspose = new GradCamExplainer(model, "to_nhwc");
        using var atRelu = new GradCamExplainer(model, "relu");
        var a = atTranspose.Explain(nchw)[0];
        var b = atRelu.Explain(nchw)[0];
        Assert.Equal((12, 10), (a.Cam.Height, a.Cam.Width));
        Assertions.Close(b.Cam.Data, a.Cam.Data, rel: 1e-6, what: "CAM of the channels-last map");
    }

    [Fact]
    public void A_dynamic_input_size_needs_the_size_and_a_fixed_one_must_agree()
    {
        var g = OnnxTestGraph.TinyClassifier();
        foreach (int d in new[] { 0, 2, 3 })
            g.Model.Graph.Input[0].Type.TensorType.Shape.Dim[d] = new TensorShapeProto.Types.Dimension { DimParam = d == 0 ? "batch" : "size" };
        string path = g.Save(PathOf("dynamic.onnx"));
        var e = Assert.Throws<OnnxImportException>(() => OnnxModel.Load(path));
        Assert.Contains("dynamic size [?, 3, ?, ?]", e.Message);
        Assert.DoesNotContain("--", e.Message);                       // the library names the setting, the CLI its flag
        Assert.Equal("ModelSpec.Input.InputSize", e.Setting);
        using var model = OnnxModel.Load(path, new OnnxImportOptions { InputSize = (40, 24) });
        Assert.Equal((24, 40), (model.Input.Width, model.Input.Height));

        string fixedPath = OnnxTestGraph.TinyClassifier().Save(PathOf("fixed.onnx"));
        var mismatch = Assert.Throws<OnnxImportException>(() => OnnxModel.Load(fixedPath, new OnnxImportOptions { InputSize = (40, 24) }));
        Assert.Contains("fixed at 32x32", mismatch.Message);
    }

    [Fact]
    public void Preprocessing_presets_and_explicit_values()
    {
        string path = OnnxTestGraph.TinyClassifier().Save(PathOf("tiny.onnx"));
        using (var caffe = OnnxModel.Load(path, new OnnxImportOptions { Preprocessing = "caffe" }))
        {
            Assert.True(caffe.Input.Bgr);
            Assert.Equal(255f, caffe.Input.Scale);
            // A mid-grey pixel: 0.5 * 255 minus the channel's mean, planes in B, G, R order.
            using var grey = torch.full([1, 3, 2, 2], 0.5f);
            using var x = caffe.Input.Standardise(grey);
            Assert.Equal(127.5f - 103.939f, x[0, 0, 0, 0].item<float>(), 3);
            Assert.Equal(127.5f - 123.68f, x[0, 2, 0, 0].item<float>(), 3);
        }
        using (var custom = OnnxModel.Load(path, new OnnxImportOptions { Preprocessing = "raw", Mean = [1, 2, 3], Std = [2, 2, 2] }))
            Assert.Equal(new InputSpec(32, 32, [1f, 2f, 3f], [2f, 2f, 2f]) { Scale = 255f }, custom.Input);
        Assert.Throws<ArgumentException>(() => OnnxModel.Load(path, new OnnxImportOptions { Preprocessing = "tensorflow" }));
        Assert.Throws<ArgumentException>(() => OnnxModel.Load(path, new OnnxImportOptions { Std = [1, 0, 1] }));
    }

    [Fact]
    public void Weights_stored_as_external_data_load()
    {
        var g = OnnxTestGraph.TinyClassifier();
        string inline = g.Save(PathOf("inline.onnx"));
        var w2 = g.Model.Graph.Initializer.Single(t => t.Name == "w2");
        File.WriteAllBytes(PathOf("weights.bin"), new byte[16].Concat(w2.RawData.ToByteArray()).ToArray());
        w2.DataLocation = TensorProto.Types.DataLocation.External;
        w2.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        w2.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "16" });
        w2.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = w2.RawData.Length.ToString() });
        w2.RawData = ByteString.Empty;
        string external = g.Save(PathOf("external.onnx"));

        using var a = OnnxModel.Load(inline);
        using var b = OnnxModel.Load(external);
        using var x = torch.randn(1, 3, 32, 32);
        using var noGrad = torch.no_grad();
        Assert.Equal(Floats(a.Module.call(x)), Floats(b.Module.call(x)));

        w2.ExternalData[0].Value = "../weights.bin";
        string escaping = g.Save(PathOf("escaping.onnx"));
        Assert.Contains("must be a relative path inside the model's folder", Assert.Throws<OnnxImportException>(() => OnnxModel.Load(escaping)).Message);
    }

    [Theory]
    [InlineData(TensorProto.Types.DataType.Float16)]
    [InlineData(TensorProto.Types.DataType.Bfloat16)]
    [InlineData(TensorProto.Types.DataType.Double)]
    public void Float16_bfloat16_and_float64_weights_become_float32(TensorProto.Types.DataType type)
    {
        // The weights in another precision, cast to float in the graph, as exporters of mixed-precision models do.
        var g = new OnnxTestGraph(13).Input("x", 1, 3, 6, 6).Node("Cast", ["w"], ["wf"], ("to", 1L)).Node("Conv", ["x", "wf"], ["y"]).Output("y");
        var values = Enumerable.Range(0, 2 * 3 * 3 * 3).Select(i => (float)Math.Sin(i) * 0.7f).ToArray();
        var t = new TensorProto { Name = "w", DataType = (int)type };
        t.Dims.AddRange([2, 3, 3, 3]);
        using (var f = torch.tensor(values))
        using (var converted = f.to_type(type switch
               {
                   TensorProto.Types.DataType.Float16 => ScalarType.Float16,
                   TensorProto.Types.DataType.Bfloat16 => ScalarType.BFloat16,
                   _ => ScalarType.Float64,
               }))
            t.RawData = ByteString.CopyFrom(converted.bytes.ToArray());
        g.Model.Graph.Initializer.Add(t);
        var bytes = g.Bytes();
        var expected = OnnxRuntimeOracle.Run(bytes, g.Inputs)[0].Values;
        using var graph = OnnxModel.ImportGraph(ModelProto.Parser.ParseFrom(bytes), new Dictionary<string, long[]> { ["x"] = [1, 3, 6, 6] });
        using var x = torch.tensor(g.Inputs["x"].Data, [1, 3, 6, 6]);
        using var noGrad = torch.no_grad();
        Assertions.Close(expected, Floats(graph.Run(x)[0]), rel: 1e-5, what: $"conv with {type} weights");
    }

    [Fact]
    public void An_imported_model_saves_as_a_package_that_loads_without_the_original_file()
    {
        string path = OnnxTestGraph.TinyClassifier(final: "Softmax", classes: 4).Save(PathOf("tiny.onnx"));
        string package = PathOf("tiny.gcm");
        using var x = torch.randn(3, 3, 32, 32);
        float[] before;
        using (var model = OnnxModel.Load(path, new OnnxImportOptions { Preprocessing = "caffe", Labels = ["a", "b", "c", "d"] }))
        {
            using (torch.no_grad()) before = Floats(model.Module.call(x));
            ModelPackage.Save(model, package);
        }
        File.Delete(path);
        using var loaded = ModelPackage.Load(package);
        Assert.Equal(["a", "b", "c", "d"], loaded.Labels);
        Assert.Equal("relu2", loaded.DefaultLayer);
        Assert.True(loaded.ExplainsSoftmaxInput);
        Assert.Equal(InputSpec.FromPreset("caffe", 32, 32), loaded.Input);
        using (torch.no_grad()) Assert.Equal(before, Floats(loaded.Module.call(x)));
    }

    [Fact]
    public void A_graph_that_fixes_its_batch_takes_only_that_batch_with_a_clear_error()
    {
        // A reshape across the batch axis ([1, 8, 2, 2] -> [2, 16]) only works for a batch of 1.
        var g = new OnnxTestGraph(13).Input("input", 1, 3, 4, 4).Floats("w", [8, 3, 1, 1]).Ints("s", 2, 16).Floats("fc", [16, 3])
            .Node("Conv", ["input", "w"], ["c"]).Node("Relu", ["c"], ["r"]).Named("relu")
            .Node("MaxPool", ["r"], ["p"], ("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 }))
            .Node("Reshape", ["p", "s"], ["flat"]).Node("MatMul", ["flat", "fc"], ["m"])
            .Node("ReduceMean", ["m"], ["scores"], ("axes", new long[] { 0 }), ("keepdims", 1L)).Output("scores");
        using var model = OnnxModel.Load(g.Save(PathOf("fixed-batch.onnx")));
        var graph = (OnnxGraph)model.Module;
        Assert.Equal(1, graph.FixedBatch!.Value.Size);
        using var explainer = new GradCamExplainer(model, "relu");
        Assert.Single(explainer.Explain(torch.randn(1, 3, 4, 4)));
        var e = Assert.Throws<ArgumentException>(() => explainer.Explain(torch.randn(2, 3, 4, 4)));
        Assert.Contains("only takes batches of 1", e.Message);
    }

    [Fact]
    public void Bad_files_are_refused_with_one_line_naming_them()
    {
        var good = OnnxTestGraph.TinyClassifier().Bytes();
        File.WriteAllBytes(PathOf("truncated.onnx"), good[..(good.Length / 2)]);
        File.WriteAllText(PathOf("text.onnx"), "this is not a model\n");
        var truncated = Assert.Throws<OnnxImportException>(() => OnnxModel.Load(PathOf("truncated.onnx")));
        Assert.Contains("truncated.onnx' is not a valid ONNX model", truncated.Message);
        var text = Assert.Throws<OnnxImportException>(() => OnnxModel.Load(PathOf("text.onnx")));
        Assert.Contains("text.onnx' is not", text.Message);
        foreach (var e in new Exception[] { truncated, text }) Assert.DoesNotContain('\n', e.Message);

        var unsupported = OnnxTestGraph.TinyClassifier();
        unsupported.Model.Graph.Node.Single(n => n.Name == "relu2").OpType = "Mish";
        var op = Assert.Throws<OnnxImportException>(() => OnnxModel.Load(unsupported.Save(PathOf("mish.onnx"))));
        Assert.StartsWith("operator Mish (opset 13, node 'relu2') is not supported", op.Message);

        var twoInputs = OnnxTestGraph.TinyClassifier().Input("second", 1, 3, 32, 32);
        Assert.Contains("has 2 inputs (input, second)", Assert.Throws<OnnxImportException>(() => OnnxModel.Load(twoInputs.Save(PathOf("two.onnx")))).Message);

        var noScores = new OnnxTestGraph(13).Input("input", 1, 3, 8, 8).Floats("w", [2, 3, 3, 3]).Node("Conv", ["input", "w"], ["features"]).Output("features");
        // Without class scores the model loads (output and mask targets explain it); a class target says why it cannot.
        using (var features = OnnxModel.Load(noScores.Save(PathOf("features.onnx"))))
        using (var explainer = new GradCamExplainer(features))
        using (var x = torch.rand(1, 3, 8, 8))
            Assert.Equal("a class target needs class scores [N, classes]; features's first output 'features' is [1, 2, 6, 6]: name an output element (output:NAME[i])",
                         Assert.Throws<ArgumentException>(() => explainer.Explain(x)).Message);

        var integers = OnnxTestGraph.TinyClassifier(final: null);
        integers.Node("Cast", ["scores"], ["label"], ("to", 7L));
        integers.Model.Graph.Output.Clear();
        integers.Model.Graph.Output.Add(new ValueInfoProto { Name = "label", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 7 } } });
        Assert.Contains("has no class output: its outputs (label: Int64)", Assert.Throws<OnnxImportException>(() => OnnxModel.Load(integers.Save(PathOf("label.onnx")))).Message);

        var grey = new OnnxTestGraph(13).Input("input", 1, 1, 8, 8);
        Assert.Contains("3 channels", Assert.Throws<OnnxImportException>(() => OnnxModel.Load(grey.Node("Flatten", ["input"], ["scores"]).Output("scores").Save(PathOf("grey.onnx")))).Message);
    }
}
