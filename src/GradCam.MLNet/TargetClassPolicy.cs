namespace GradCam.MLNet;

/// <summary>Which class each row's heatmap explains.</summary>
public enum TargetClassPolicy
{
    /// <summary>The row's most probable class.</summary>
    TopPrediction,

    /// <summary>The same class for every row: <see cref="GradCamOptions.TargetClass"/>.</summary>
    Fixed,

    /// <summary>A per-row class read from the integer column <see cref="GradCamOptions.TargetClassInputColumnName"/>.</summary>
    FromColumn,
}
