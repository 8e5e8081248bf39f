namespace GradCam.Models;

/// <summary>A module that can say how to build it again (model packages and saved ML.NET transformers store that).</summary>
public interface IRebuildableModule
{
    /// <summary>The architecture that rebuilds this module with random weights.</summary>
    ModelArchitecture Architecture { get; }
}
