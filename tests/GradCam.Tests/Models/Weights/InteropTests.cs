using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using GradCam.Models;
using GradCam.Models.Weights;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Tests.Models.Weights;

/// <summary>Weights across the language border: PyTorch reads the .pth files GradCam writes, and half, bfloat16 and double safetensors read as their values.</summary>
public sealed class InteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void PyTorchReadsThePthFilesGradCamWrites()
    {
        using var model = ModelZoo.Create(new ModelSpec("resnet18") { RandomWeights = true, Seed = 4 });
        string pth = Path.Combine(_dir, "resnet18.pth"), json = Path.Combine(_dir, "read.json");
        WeightsFile.Write(model.Module, pth, WeightsFormat.PyTorchZip);
        PythonScript.Run("read_state_dict.py", pth, json);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var ours = model.Module.state_dict();
        Assert.Equal(ours.Keys.Order(), doc.RootElement.EnumerateObject().Select(p => p.Name).Order());
        foreach (var (name, tensor) in ours)
        {
            var read = doc.RootElement.GetProperty(name);
            Assert.Equal(tensor.shape, read.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray());
            double sum = tensor.to_type(ScalarType.Float64).sum().item<double>();
            Assert.Equal(sum, read.GetProperty("sum").GetDouble(), Math.Max(1e-6, Math.Abs(sum) * 1e-9));
        }
    }

    [Theory]
    [InlineData("F16", ScalarType.Float16)]
    [InlineData("BF16", ScalarType.BFloat16)]
    [InlineData("F64", ScalarType.Float64)]
    public void HalfBfloatAndDoubleSafetensorsReadAsTheirValues(string dtype, ScalarType type)
    {
        float[] values = [1.5f, -2.25f, 0.125f, 1024f];
        byte[] data = dtype switch
        {
            "F16" => values.SelectMany(v => { var b = new byte[2]; BinaryPrimitives.WriteHalfLittleEndian(b, (Half)v); return b; }).ToArray(),
            "BF16" => values.SelectMany(v => BitConverter.GetBytes(BitConverter.SingleToInt32Bits(v) >> 16).Take(2)).ToArray(), // these values are exact in bfloat16
            _ => values.SelectMany(v => BitConverter.GetBytes((double)v)).ToArray(),
        };
        byte[] header = Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":[2,2],\"data_offsets\":[0," + data.Length + "]}}");
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        string path = Path.Combine(_dir, $"{dtype}.safetensors");
        File.WriteAllBytes(path, bytes);

        using var state = WeightsFile.Read(path);
        var w = state["w"];
        Assert.Equal(type, w.dtype);
        Assert.Equal([2L, 2L], w.shape);
        Assert.Equal(values, w.to_type(ScalarType.Float32).data<float>().ToArray());
    }
}
