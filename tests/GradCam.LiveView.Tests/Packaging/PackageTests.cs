using System.Text.Json;
using Xunit;

namespace GradCam.LiveView.Tests.Packaging;

/// <summary>
/// The packages in artifacts/ (written by <c>./build.sh pack</c>, which <c>./build.sh test</c> runs first), used as a user
/// gets them: the tool installed with <c>dotnet tool install</c>, and a consumer project that references
/// <c>GradCam.MLNet</c> and <c>GradCam.Video</c> by PackageReference (no ProjectReference), runs an ML.NET pipeline with
/// GradCam and replays a folder of frames.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class PackageTests : IDisposable
{
    private const string Version = "0.3.0";
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-packages-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Artifacts()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GradCam.sln"))) dir = dir.Parent;
        string artifacts = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("no GradCam.sln above the tests"), "artifacts");
        Assert.True(File.Exists(Path.Combine(artifacts, $"GradCam.Tool.{Version}.nupkg")), $"no packages in {artifacts}: run ./build.sh pack (./build.sh test does)");
        // A package of the same version extracted earlier would be used instead of the one just packed.
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "gradcam", "gradcam.onnx", "gradcam.mlnet", "gradcam.onnxruntime", "gradcam.video", "gradcam.tool", "gradcam.tool.linux-x64" })
            if (Directory.Exists(Path.Combine(cache, id, Version))) Directory.Delete(Path.Combine(cache, id, Version), recursive: true);
        return artifacts;
    }

    [Fact]
    public void The_tool_package_points_to_a_package_with_this_platforms_natives_only()
    {
        string artifacts = Artifacts();
        var pointer = new FileInfo(Path.Combine(artifacts, $"GradCam.Tool.{Version}.nupkg"));
        string rid = Path.Combine(artifacts, $"GradCam.Tool.linux-x64.{Version}.nupkg");
        Assert.True(pointer.Length < 100_000, $"the pointer package is {pointer.Length} bytes");
        Assert.True(File.Exists(rid), "no linux-x64 tool package");
        using var zip = System.IO.Compression.ZipFile.OpenRead(rid);
        var natives = zip.Entries.Select(e => e.FullName).Where(n => n.EndsWith(".so") || n.EndsWith(".dll") && n.Contains("/runtimes/") || n.EndsWith(".dylib")).ToList();
        Assert.Contains(natives, n => n.EndsWith("/libtorch_cpu.so"));
        Assert.Contains(natives, n => n.EndsWith("/libOpenCvSharpExtern.so"));
        Assert.Contains(natives, n => n.EndsWith("/libonnxruntime.so"));
        Assert.DoesNotContain(zip.Entries, e => e.FullName.Contains("/runtimes/") || e.FullName.EndsWith(".dylib") || e.FullName.EndsWith("torch_cpu.dll"));
    }

    [Fact]
    public void The_tool_installs_from_the_packages_and_explains_an_image()
    {
        string artifacts = Artifacts();
        string tools = Path.Combine(_dir, "tools");
        var install = ProcessRunner.Run("dotnet", ["tool", "install", "GradCam.Tool", "--tool-path", tools, "--add-source", artifacts, "--version", Version], new ProcessOptions { WorkingDirectory = _dir });
        Assert.True(install.ExitCode == 0, install.Output);

        using var images = new TestImages();
        string image = images.Shapes("a.png");
        string json = Path.Combine(_dir, "out.json");
        var explain = ProcessRunner.Run(Path.Combine(tools, "gradcam"), ["explain", image, "--model", "resnet18", "--random-weights", "--json", json, "--out", Path.Combine(_dir, "out")], new ProcessOptions { WorkingDirectory = _dir });
        Assert.True(explain.ExitCode == 0, explain.Output);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("layer4", doc.RootElement.GetProperty("layer").GetString());
        Assert.Equal([7, 7], doc.RootElement.GetProperty("results")[0].GetProperty("camShape").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void A_consumer_project_references_GradCam_MLNet_and_Video_by_package_and_runs_a_pipeline_and_a_replay()
    {
        string artifacts = Artifacts();
        File.WriteAllText(Path.Combine(_dir, "consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <NoWarn>NU1603</NoWarn>
                <RestoreAdditionalProjectSources>{artifacts}</RestoreAdditionalProjectSources>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="GradCam.MLNet" Version="{Version}" />
                <PackageReference Include="GradCam.Video" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_dir, "Program.cs"), """
            using GradCam.MLNet;
            using Microsoft.ML;
            using Microsoft.ML.Data;

            var ml = new MLContext();
            var pixels = new byte[64 * 64 * 4];
            for (int i = 0; i < pixels.Length; i += 4) { pixels[i] = 30; pixels[i + 1] = 60; pixels[i + 2] = (byte)(i % 256); pixels[i + 3] = 255; }
            var data = ml.Data.LoadFromEnumerable([new Row { Image = MLImage.CreateFromPixels(64, 64, MLPixelFormat.Bgra32, pixels) }]);
            using var gradCam = ml.Transforms.GradCam(new GradCamOptions { Model = new GradCam.Models.ModelSpec("resnet18") { RandomWeights = true } }).Fit(data);
            var heatmap = gradCam.Transform(data).GetColumn<VBuffer<float>>("Heatmap").Single().DenseValues().ToArray();
            Console.WriteLine($"heatmap {heatmap.Length} max {heatmap.Max():0.00}");

            // GradCam.Video: replay a folder of frames into a timeline.
            string frames = Directory.CreateTempSubdirectory("consumer-frames-").FullName;
            for (int i = 0; i < 5; i++)
            {
                using var m = new OpenCvSharp.Mat(48, 64, OpenCvSharp.MatType.CV_8UC3, new OpenCvSharp.Scalar(20 * i, 90, 200));
                OpenCvSharp.Cv2.ImWrite(Path.Combine(frames, $"f{i}.png"), m);
            }
            using var source = new GradCam.Video.Sources.ImageFolderSource(frames, 10);
            using var model = GradCam.Models.ModelZoo.Create(new GradCam.Models.ModelSpec("resnet18") { RandomWeights = true });
            using var explainer = new GradCam.Engine.GradCamExplainer(model);
            string timeline = Path.Combine(frames, "timeline.jsonl");
            using (var video = GradCam.Video.Pipeline.VideoExplainer.Replay(source, explainer).To(new GradCam.Video.Sinks.TimelineSink(timeline, source.Size)))
                await video.RunAsync();
            Console.WriteLine($"timeline {File.ReadAllLines(timeline).Length} lines");

            public sealed class Row
            {
                [Microsoft.ML.Transforms.Image.ImageType(64, 64)]
                public MLImage Image { get; set; } = null!;
            }
            """);
        var run = ProcessRunner.Run("dotnet", ["run", "-c", "Release"], new ProcessOptions { WorkingDirectory = _dir });
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("heatmap 50176 max 1.00", run.Output);
        Assert.Contains("timeline 5 lines", run.Output);
    }
}
