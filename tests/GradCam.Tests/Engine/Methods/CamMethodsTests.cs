using GradCam.Engine.Methods;
using Xunit;

namespace GradCam.Tests.Engine.Methods;

/// <summary>The method registry: every enum member has one definition, with a unique name, found by name and by member.</summary>
public class CamMethodsTests
{
    [Fact]
    public void EveryMethodIsRegisteredOnceWithAUniqueName()
    {
        Assert.Equal(Enum.GetValues<CamMethod>(), CamMethods.All.Select(d => d.Method));
        Assert.Equal(CamMethods.All.Count, CamMethods.Names.Distinct().Count());
        Assert.Equal(CamMethods.All.Count, CamMethods.All.Select(d => d.Title).Distinct().Count());
        foreach (var d in CamMethods.All)
        {
            Assert.Same(d, CamMethods.Get(d.Method));
            Assert.Equal(d.Method, CamMethods.Parse(d.Name));
            Assert.Equal(d.Method, CamMethods.Parse(d.Method.ToString().ToUpperInvariant()));
        }
    }

    [Fact]
    public void TheFlagsSayWhatEachMethodNeeds()
    {
        Assert.Equal([CamMethod.EigenCam, CamMethod.ScoreCam], CamMethods.All.Where(d => !d.UsesGradients).Select(d => d.Method));
        Assert.Equal([CamMethod.GuidedBackprop, CamMethod.GuidedGradCam], CamMethods.All.Where(d => d.UsesGuidedBackprop).Select(d => d.Method));
        Assert.Equal([CamMethod.ScoreCam], CamMethods.All.Where(d => d.ProgressUnit is not null).Select(d => d.Method));
        Assert.Throws<ArgumentOutOfRangeException>(() => CamMethods.Get((CamMethod)99));
    }
}
