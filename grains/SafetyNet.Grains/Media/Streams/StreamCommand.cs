namespace SafetyNet.Grains.Media.Streams;

/// <summary>What the owner of a <see cref="CameraStreamMachine"/> must do after an input, in order.</summary>
public enum StreamCommand
{
    StartProcess,
    StopProcess,
    ReportOnline,
    ReportOffline,
    /// <summary>The stream is idle: no process runs and nobody wants it; the owner may forget it.</summary>
    Stopped,
}
