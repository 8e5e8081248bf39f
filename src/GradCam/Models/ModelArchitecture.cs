using GradCam.Models.Architectures;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models;

/// <summary>
/// A network's architecture in a form that can be saved and rebuilt: a <see cref="ModelZoo"/> name or a
/// <see cref="VggConfig"/>. Model packages and saved ML.NET transformers store it next to the weights.
/// </summary>
public sealed record ModelArchitecture
{
    private ModelArchitecture(string? zoo, VggConfig? vgg)
    {
        Zoo = zoo;
        Vgg = vgg;
    }

    /// <summary>The zoo model name, when the architecture is a zoo model.</summary>
    public string? Zoo { get; }

    /// <summary>The VGG-style configuration, when the architecture is a <see cref="Architectures.Vgg"/>.</summary>
    public VggConfig? Vgg { get; }

    /// <summary>A zoo architecture.</summary>
    /// <param name="name">One of <see cref="ModelZoo.Names"/>.</param>
    public static ModelArchitecture FromZoo(string name) =>
        ModelZoo.Contains(name) ? new(name.ToLowerInvariant(), null)
                                : throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", ModelZoo.Names)}", nameof(name));

    /// <summary>A VGG-style architecture.</summary>
    /// <param name="config">Its configuration.</param>
    public static ModelArchitecture FromVgg(VggConfig config) => new(null, config);

    /// <summary>Builds the network with random weights.</summary>
    public nn.Module<Tensor, Tensor> Build() => Zoo is not null ? ModelZoo.Build(Zoo) : new Vgg(Vgg!);

    /// <inheritdoc />
    public override string ToString() => Zoo ?? $"vgg-style [{string.Join(",", Vgg!.Features)}]";
}
