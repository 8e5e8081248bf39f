using GradCam.Models.Loading;
using GradCam.Onnx;
using Xunit;

namespace GradCam.OnnxRuntime.Tests;

/// <summary>ONNX Runtime as the hybrid engine of the registry's ONNX loader.</summary>
public sealed class PrefixRegistrationTests
{
    [Fact]
    public void AddingAKindAgainReplacesItsLoader()
    {
        var registry = ModelLoaderRegistry.CreateDefault().AddOnnx();
        var first = registry.Loaders.OfType<OnnxModelLoader>().Single();
        registry.AddOnnx(prefix: OnnxRuntimePrefix.Instance);
        var second = registry.Loaders.OfType<OnnxModelLoader>().Single();
        Assert.NotSame(first, second);
        Assert.NotNull(second.Prefix);
        Assert.Equal(3, registry.Loaders.Count);
    }
}
