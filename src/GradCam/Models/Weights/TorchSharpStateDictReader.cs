using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models.Weights;

/// <summary>
/// Reads TorchSharp's native <c>Module.save</c> format: a 7-bit-encoded entry count, then for each entry
/// a length-prefixed UTF-8 name followed by a tensor as <c>TensorExtensionMethods.Save</c> writes it.
/// </summary>
internal static class TorchSharpStateDictReader
{
    public static StateDict Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        long count = reader.Read7BitEncodedInt64();
        if (count < 0 || count > 1_000_000) throw new InvalidDataException("not a TorchSharp state_dict (implausible entry count)");
        var tensors = new List<KeyValuePair<string, Tensor>>();
        try
        {
            for (long i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                tensors.Add(new(name, TensorExtensionMethods.Load(reader)));
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (var (_, t) in tensors) t.Dispose();
            throw new InvalidDataException($"not a TorchSharp state_dict or truncated ({e.Message})", e);
        }
        return new StateDict(WeightsFormat.TorchSharp, tensors);
    }
}
