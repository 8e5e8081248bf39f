namespace GradCam.Detectors;

/// <summary>How a single-stage detector's raw (pre-NMS) output is laid out, as users export them to ONNX.</summary>
public enum DetectorLayout
{
    /// <summary>
    /// YOLOv5 (and v7): <c>[N, anchors, 5 + C]</c>, each row <c>cx, cy, w, h</c> in input pixels, objectness, then C
    /// class probabilities; a box's score for class c is <c>objectness · p_c</c>.
    /// </summary>
    Yolov5,

    /// <summary>
    /// YOLOv8 (and v11): <c>[N, 4 + C, anchors]</c>, each column <c>cx, cy, w, h</c> in input pixels, then C class
    /// scores; a box's score for class c is <c>s_c</c> (no objectness).
    /// </summary>
    Yolov8,
}
