using System.Diagnostics;
using SafetyNet.Bench.Hosting;

namespace SafetyNet.Bench.Video;

/// <summary>
/// deploy/test-camera/rtsp-test-camera.py as a child process: a real RTSP server, one H.264 stream (1 s GOP) per path, each
/// frame stamped with its wall-clock time (clock pattern); with ONVIF credentials also a PTZ device that moves every path.
/// </summary>
public sealed class TestCameraServer : IAsyncDisposable
{
    private readonly Process _process;

    private TestCameraServer(Process process, int port, Uri? onvifUrl)
    {
        _process = process;
        Port = port;
        OnvifUrl = onvifUrl;
    }

    public int Port { get; }

    /// <summary>The ONVIF device service (http://127.0.0.1:PORT/onvif/device_service) when started with ONVIF credentials.</summary>
    public Uri? OnvifUrl { get; }

    public int ProcessId => _process.Id;

    public string Url(string path) => $"rtsp://127.0.0.1:{Port}/{path}";

    /// <summary>Starts the server and returns once it has printed one READY line per path (and its ONVIF address).</summary>
    public static async Task<TestCameraServer> StartAsync(IReadOnlyList<string> paths, int fps = 15, string size = "640x360", (string User, string Password)? onvif = null)
    {
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[Path.Combine(RepositoryPaths.Root, "deploy", "test-camera", "rtsp-test-camera.py"),
                     "--port", port.ToString(), "--fps", fps.ToString(), "--size", size, "--path", .. paths])
            start.ArgumentList.Add(argument);
        if (onvif is var (user, password))
            foreach (var argument in (string[])["--onvif-port", "0", "--onvif-user", user, "--onvif-password", password])
                start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The RTSP test camera did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Uri? onvifUrl = null;
        try
        {
            for (var ready = 0; ready < paths.Count || (onvif is not null && onvifUrl is null);)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                           ?? throw new InvalidOperationException($"The RTSP test camera exited before it was ready: {await stderr}");
                if (line.StartsWith("READY ", StringComparison.Ordinal)) ready++;
                else if (line.StartsWith("ONVIF ", StringComparison.Ordinal)) onvifUrl = new Uri(line["ONVIF ".Length..]);
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
        return new TestCameraServer(process, port, onvifUrl);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await terminate.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await _process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }
}
