using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using GradCam.IO;
using GradCam.Models.Architectures;
using GradCam.Models.Loading;
using GradCam.Models.Weights;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace GradCam.Models;

/// <summary>
/// One file holding everything needed to explain with a model: architecture, input size, normalisation, labels,
/// default Grad-CAM layer and weights. It is a zip archive with <c>model.json</c> and <c>weights.safetensors</c>
/// (the weights in the safetensors format, readable by any safetensors tool), or with <c>model.json</c> and a model file
/// of another kind (an ONNX graph with its weights) that a <see cref="ModelLoaderRegistry"/> reads.
/// </summary>
public static class ModelPackage
{
    /// <summary>The <c>format</c> value of <c>model.json</c>.</summary>
    public const string Format = "gradcam-model/1";

    /// <summary>The manifest's entry name.</summary>
    public const string ManifestEntry = "model.json";

    internal const string WeightsEntry = "weights.safetensors";

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The manifest stored as <c>model.json</c>.</summary>
    /// <param name="Format">Always <see cref="ModelPackage.Format"/>.</param>
    /// <param name="Name">The display name.</param>
    /// <param name="Zoo">The zoo architecture, if it is one.</param>
    /// <param name="Vgg">The VGG-style configuration, if it is one.</param>
    /// <param name="InputWidth">Input width.</param>
    /// <param name="InputHeight">Input height.</param>
    /// <param name="Mean">Per-channel (R, G, B) mean.</param>
    /// <param name="Std">Per-channel (R, G, B) standard deviation.</param>
    /// <param name="Labels">Class names.</param>
    /// <param name="DefaultLayer">The layer explained by default.</param>
    /// <param name="Scale">The pixel scale (1 or 255); absent from older packages.</param>
    /// <param name="Bgr">Whether the network takes B, G, R planes; absent from older packages.</param>
    /// <param name="File">The archive entry holding a model file of another kind (e.g. <c>model.onnx</c>, weights included).</param>
    /// <param name="Onnx">What older packages called <paramref name="File"/>, for ONNX graphs; read, never written.</param>
    public sealed record Manifest(string Format, string Name, string? Zoo, VggConfig? Vgg, int InputWidth, int InputHeight,
                                  float[] Mean, float[] Std, IReadOnlyList<string> Labels, string DefaultLayer,
                                  float Scale = 1f, bool Bgr = false, string? File = null, string? Onnx = null);

    /// <summary>Whether a file is a model package (a zip archive with a <c>model.json</c>).</summary>
    /// <param name="path">Any file.</param>
    public static bool IsPackage(string path)
    {
        if (!System.IO.File.Exists(path)) return false;
        try
        {
            using var archive = ZipFile.OpenRead(path);
            return archive.GetEntry(ManifestEntry) is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Writes a classifier as a model package.</summary>
    /// <param name="classifier">A classifier whose <see cref="ImageClassifier.Architecture"/> is known.</param>
    /// <param name="path">The file to write (replaced atomically).</param>
    /// <exception cref="NotSupportedException">The classifier wraps an arbitrary module whose architecture cannot be rebuilt.</exception>
    public static void Save(ImageClassifier classifier, string path)
    {
        AtomicFile.Write(path, temp =>
        {
            using var archive = ZipFile.Open(temp, ZipArchiveMode.Create);
            Write(classifier, archive);
        });
    }

    /// <summary>Writes the package's entries into an open archive (saved ML.NET transformers hold them too).</summary>
    /// <param name="classifier">A classifier whose architecture is known or whose network is its own model file.</param>
    /// <param name="archive">An archive open for writing.</param>
    /// <exception cref="NotSupportedException">The classifier wraps an arbitrary module whose architecture cannot be rebuilt.</exception>
    public static void Write(ImageClassifier classifier, ZipArchive archive)
    {
        var input = classifier.Input;
        if (classifier.Network is IPackageableNetwork file)
        {
            // The model file itself, with its weights: loading needs nothing else.
            WriteManifest(archive, new Manifest(Format, classifier.Name, null, null, input.Width, input.Height, input.Mean, input.Std,
                                                classifier.Labels, classifier.DefaultLayer, input.Scale, input.Bgr, File: file.ModelFileName));
            using var stream = archive.CreateEntry(file.ModelFileName, CompressionLevel.NoCompression).Open();
            file.WriteModelFile(stream);
            return;
        }
        var architecture = classifier.Architecture ?? throw new NotSupportedException(
            $"model '{classifier.Name}' wraps an arbitrary TorchSharp module whose architecture cannot be saved; " +
            "use a zoo model or a Vgg network, or save its weights with WeightsFile.Write and rebuild it in code");
        WriteManifest(archive, new Manifest(Format, classifier.Name, architecture.Zoo, architecture.Vgg, input.Width, input.Height,
                                            input.Mean, input.Std, classifier.Labels, classifier.DefaultLayer, input.Scale, input.Bgr));
        using (var stream = archive.CreateEntry(WeightsEntry, CompressionLevel.NoCompression).Open())
            classifier.Module.save_safetensors(stream, leaveOpen: true);
    }

    private static void WriteManifest(ZipArchive archive, Manifest manifest)
    {
        using var stream = archive.CreateEntry(ManifestEntry, CompressionLevel.Optimal).Open();
        JsonSerializer.Serialize(stream, manifest, s_json);
    }

    /// <summary>Reads a model package and builds the classifier it describes.</summary>
    /// <param name="path">The package file.</param>
    /// <param name="device">Where to run; the CPU when null.</param>
    /// <param name="registry">Reads a model file the package holds (an ONNX graph); <see cref="ModelLoaderRegistry.Default"/> when null.</param>
    /// <param name="engine">Where such a model file's network runs.</param>
    /// <returns>The classifier; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid model package; the message names it.</exception>
    public static ImageClassifier Load(string path, Device? device = null, ModelLoaderRegistry? registry = null,
                                       ModelEngine engine = ModelEngine.TorchSharp)
    {
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"model package '{path}' not found", path);
        try
        {
            using var archive = ZipFile.OpenRead(path);
            return Read(archive, path, device, registry, engine);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"model package '{path}' is invalid: {e.Message}", e);
        }
    }

    /// <summary>Reads the package entries of an open archive (saved ML.NET transformers hold them too).</summary>
    /// <param name="archive">The archive.</param>
    /// <param name="source">The archive's name, for messages.</param>
    /// <param name="device">Where to run; the CPU when null.</param>
    /// <param name="registry">Reads a model file the package holds; <see cref="ModelLoaderRegistry.Default"/> when null.</param>
    /// <param name="engine">Where such a model file's network runs.</param>
    /// <exception cref="InvalidDataException">The entries are not a valid model package.</exception>
    public static ImageClassifier Read(ZipArchive archive, string source, Device? device, ModelLoaderRegistry? registry = null,
                                       ModelEngine engine = ModelEngine.TorchSharp)
    {
        var manifestEntry = archive.GetEntry(ManifestEntry) ?? throw new InvalidDataException($"no {ManifestEntry} inside");
        Manifest manifest;
        using (var stream = manifestEntry.Open())
            manifest = JsonSerializer.Deserialize<Manifest>(stream, s_json) ?? throw new InvalidDataException($"empty {ManifestEntry}");
        if (manifest.Format != Format) throw new InvalidDataException($"format '{manifest.Format}' is not {Format}");
        if ((manifest.File ?? manifest.Onnx) is { } file) return ReadFile(archive, manifest, file, device, registry ?? ModelLoaderRegistry.Default, engine);
        var architecture = manifest.Zoo is not null ? ModelArchitecture.FromZoo(manifest.Zoo)
            : manifest.Vgg is not null ? ModelArchitecture.FromVgg(manifest.Vgg)
            : throw new InvalidDataException("the manifest names no architecture (zoo or vgg)");

        var weightsEntry = archive.GetEntry(WeightsEntry) ?? throw new InvalidDataException($"no {WeightsEntry} inside");
        // Everything the manifest says is checked before the network is built or a byte of weights is read.
        var input = new InputSpec(manifest.InputWidth, manifest.InputHeight, manifest.Mean ?? [], manifest.Std ?? []) { Scale = manifest.Scale, Bgr = manifest.Bgr };
        input.Validate();
        int classes = architecture.Vgg?.NumClasses ?? 1000;
        if (manifest.Labels is null || manifest.Labels.Count != classes)
            throw new InvalidDataException($"the manifest lists {manifest.Labels?.Count ?? 0} labels for a network of {classes} classes");
        if (architecture.Vgg is { } vgg)
        {
            vgg.Validate();
            double bytes = vgg.ParameterCount() * 4;
            if (bytes > weightsEntry.Length)
                throw new InvalidDataException($"the architecture needs {bytes / 1e6:0.#} MB of float32 weights but {WeightsEntry} holds {weightsEntry.Length / 1e6:0.#} MB");
        }
        string temp = Path.Combine(Path.GetTempPath(), $"gradcam-{Guid.NewGuid():N}.safetensors");
        var module = architecture.Build();
        try
        {
            weightsEntry.ExtractToFile(temp);
            using (var stateDict = WeightsFile.Read(temp))
                module.LoadWeights(stateDict, $"{source}!{WeightsEntry}");
            return new ImageClassifier(manifest.Name, module, manifest.Labels, manifest.DefaultLayer, input, device)
            {
                Architecture = architecture,
            };
        }
        catch
        {
            module.Dispose();
            throw;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static ImageClassifier ReadFile(ZipArchive archive, Manifest manifest, string file, Device? device,
                                           ModelLoaderRegistry registry, ModelEngine engine)
    {
        var entry = archive.GetEntry(file) ?? throw new InvalidDataException($"no {file} inside");
        var input = new InputSpec(manifest.InputWidth, manifest.InputHeight, manifest.Mean ?? [], manifest.Std ?? []) { Scale = manifest.Scale, Bgr = manifest.Bgr };
        input.Validate();
        // The file keeps its own name (its extension tells the loaders what it is) in a folder of its own.
        string folder = Path.Combine(Path.GetTempPath(), $"gradcam-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, Path.GetFileName(file));
            entry.ExtractToFile(path);
            return registry.Load(new ModelSpec(path)
            {
                Device = device is null || device.type == TorchSharp.DeviceType.CPU ? ComputeDevice.Cpu : ComputeDevice.Parse(device.ToString()),
                Labels = manifest.Labels,
                Input = InputOptions.Exactly(input),
                DisplayName = manifest.Name,
                Engine = engine,
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
