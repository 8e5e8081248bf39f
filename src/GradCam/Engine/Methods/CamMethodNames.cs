namespace GradCam.Engine.Methods;

/// <summary>The command-line names of <see cref="CamMethod"/> (<c>gradcam</c>, <c>gradcam++</c>, …).</summary>
public static class CamMethodNames
{
    private static readonly (CamMethod Method, string Name, string Title)[] s_names =
    [
        (CamMethod.GradCam, "gradcam", "Grad-CAM"),
        (CamMethod.GradCamPlusPlus, "gradcam++", "Grad-CAM++"),
        (CamMethod.XGradCam, "xgradcam", "XGrad-CAM"),
        (CamMethod.HiResCam, "hirescam", "HiResCAM"),
        (CamMethod.LayerCam, "layercam", "LayerCAM"),
        (CamMethod.EigenCam, "eigencam", "Eigen-CAM"),
        (CamMethod.ScoreCam, "scorecam", "Score-CAM"),
        (CamMethod.GuidedBackprop, "guided-backprop", "Guided Backprop"),
        (CamMethod.GuidedGradCam, "guided-gradcam", "Guided Grad-CAM"),
    ];

    /// <summary>Every method's command-line name, in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } = s_names.Select(n => n.Name).ToArray();

    /// <summary>The command-line name of a method, e.g. <c>gradcam++</c>.</summary>
    /// <param name="method">The method.</param>
    public static string NameOf(CamMethod method) => s_names.First(n => n.Method == method).Name;

    /// <summary>The method's usual written name, e.g. <c>Grad-CAM++</c>.</summary>
    /// <param name="method">The method.</param>
    public static string TitleOf(CamMethod method) => s_names.First(n => n.Method == method).Title;

    /// <summary>Parses a command-line name (case-insensitive; the enum's own names are accepted too).</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static CamMethod Parse(string name)
    {
        foreach (var n in s_names)
            if (string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(n.Method.ToString(), name, StringComparison.OrdinalIgnoreCase))
                return n.Method;
        throw new ArgumentException($"unknown method '{name}'; expected one of {string.Join(", ", All)}", nameof(name));
    }

    /// <summary>Whether the method differentiates the class score (and so can be averaged over noise).</summary>
    /// <param name="method">The method.</param>
    public static bool UsesGradients(CamMethod method) => method is not (CamMethod.EigenCam or CamMethod.ScoreCam);
}
