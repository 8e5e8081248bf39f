using System.CommandLine;
using GradCam.Video;
using GradCam.Video.Sources;

namespace GradCam.LiveView.Commands;

/// <summary>Opens the source a command names: a video file, an image folder, a camera or raw frames on stdin.</summary>
internal static class SourceArguments
{
    public static IFrameSource OpenFileOrFolder(string path, double folderFps)
    {
        if (Directory.Exists(path)) return new ImageFolderSource(path, folderFps);
        if (File.Exists(path)) return new VideoFileSource(path);
        throw new FileNotFoundException($"input '{path}' not found (expected a video file or a folder of images)", path);
    }
}
