using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GradCam.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models;

/// <summary>
/// Where a model runs, as users name it: <c>auto</c> (CUDA when available, else the CPU), <c>cpu</c>, <c>cuda</c> or
/// <c>cuda:N</c>. The name is checked when the value is made; <see cref="Resolve"/> finds the TorchSharp device. It is
/// written as its name in JSON, and a string converts to it (<c>Device = "cpu"</c>).
/// </summary>
[JsonConverter(typeof(ComputeDeviceJsonConverter))]
[TypeConverter(typeof(ComputeDeviceTypeConverter))]
public sealed record ComputeDevice
{
    private ComputeDevice(string name) => Name = name;

    /// <summary>CUDA when available, else the CPU.</summary>
    public static ComputeDevice Auto { get; } = new("auto");

    /// <summary>The CPU.</summary>
    public static ComputeDevice Cpu { get; } = new("cpu");

    /// <summary>The normalised name: <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Name { get; }

    /// <summary>Reads a device name.</summary>
    /// <param name="name"><c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (any case); null means <c>auto</c>.</param>
    /// <exception cref="SettingException">Any other name.</exception>
    public static ComputeDevice Parse(string? name)
    {
        string n = (name ?? "auto").Trim().ToLowerInvariant();
        if (n is "auto") return Auto;
        if (n is "cpu") return Cpu;
        if (n is "cuda" || (n.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(n[5..], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            return new(n);
        throw new SettingException("ModelSpec.Device", $"unknown device '{name}': expected auto, cpu, cuda or cuda:N");
    }

    /// <summary>The TorchSharp device.</summary>
    /// <exception cref="SettingException">CUDA was asked for and is not available.</exception>
    public Device Resolve()
    {
        if (this == Auto) return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (this == Cpu) return torch.CPU;
        if (!torch.cuda.is_available())
            throw new SettingException("ModelSpec.Device",
                $"device '{Name}': CUDA is not available (this build uses TorchSharp's CPU backend, or no GPU is present); use cpu or auto");
        return torch.device(Name);
    }

    /// <summary><c>Device = "cpu"</c>.</summary>
    /// <param name="name">A device name.</param>
    public static implicit operator ComputeDevice(string name) => Parse(name);

    /// <inheritdoc />
    public override string ToString() => Name;

    private sealed class ComputeDeviceJsonConverter : JsonConverter<ComputeDevice>
    {
        public override ComputeDevice Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Parse(reader.GetString());

        public override void Write(Utf8JsonWriter writer, ComputeDevice value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Name);
    }

    private sealed class ComputeDeviceTypeConverter : TypeConverter
    {
        public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
            sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

        public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
            value is string s ? Parse(s) : base.ConvertFrom(context, culture, value);
    }
}
