using System.Diagnostics;
using System.Globalization;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Media;

/// <summary>The test camera's ONVIF PTZ device: its credentials, and the paths whose picture PTZ moves (null: all).</summary>
public sealed record TestCameraOnvif(string User, string Password, IReadOnlyList<string>? PtzPaths = null);

/// <summary>
/// deploy/test-camera/rtsp-test-camera.py run as a child process: a real RTSP server with one stream per path, each frame
/// stamped with the clock pattern (<see cref="ClockPattern"/>); with <see cref="TestCameraOnvif"/> also an ONVIF PTZ device.
/// </summary>
public sealed class RtspTestCamera : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly Process _process;

    private readonly IReadOnlyDictionary<string, string> _mjpegUrls;

    private RtspTestCamera(Process process, int port, Uri? onvifUrl, IReadOnlyDictionary<string, string> mjpegUrls)
    {
        _process = process;
        Port = port;
        OnvifUrl = onvifUrl;
        _mjpegUrls = mjpegUrls;
    }

    public int Port { get; }

    /// <summary>The ONVIF device service (http://127.0.0.1:PORT/onvif/device_service) when started with ONVIF.</summary>
    public Uri? OnvifUrl { get; }

    public string Url(string path) => $"rtsp://127.0.0.1:{Port}/{path}";

    /// <summary>The path's Motion JPEG over HTTP (http://127.0.0.1:PORT/PATH.mjpg), when started with <c>mjpegOverHttp</c>.</summary>
    public string MjpegUrl(string path) => _mjpegUrls[path];

    /// <summary>
    /// Starts the server and returns once it has printed READY for every path (and its ONVIF address). <paramref name="view"/>
    /// is where the PTZ paths look at start (pan, tilt in [-1, 1]; default straight ahead). <paramref name="h265Paths"/> are
    /// sent as H.265 rather than H.264, <paramref name="mjpegPaths"/> as Motion JPEG. <paramref name="mjpegOverHttp"/> also
    /// serves every path as Motion JPEG over HTTP (<see cref="MjpegUrl"/>).
    /// </summary>
    public static async Task<RtspTestCamera> StartAsync(IReadOnlyList<string> paths, int? port = null, TestCameraOnvif? onvif = null, (double Pan, double Tilt)? view = null,
        IReadOnlyList<string>? h265Paths = null, IReadOnlyList<string>? mjpegPaths = null, bool mjpegOverHttp = false)
    {
        var chosenPort = port ?? FreePorts.Next();
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Script, "--port", chosenPort.ToString(), "--fps", "15", "--size", "640x360", "--path", .. paths])
            start.ArgumentList.Add(argument);
        if (onvif is not null)
            foreach (var argument in (string[])["--onvif-port", "0", "--onvif-user", onvif.User, "--onvif-password", onvif.Password, "--ptz-path", .. onvif.PtzPaths ?? paths])
                start.ArgumentList.Add(argument);
        foreach (var (option, codecPaths) in (ReadOnlySpan<(string, IReadOnlyList<string>?)>)[("--h265-path", h265Paths), ("--mjpeg-path", mjpegPaths)])
            if (codecPaths is { Count: > 0 })
                foreach (var argument in (string[])[option, .. codecPaths])
                    start.ArgumentList.Add(argument);
        if (mjpegOverHttp)
            foreach (var argument in (string[])["--mjpeg-http-port", "0"])
                start.ArgumentList.Add(argument);
        if (view is var (pan, tilt))
            foreach (var argument in (string[])["--initial-pan", pan.ToString(CultureInfo.InvariantCulture), "--initial-tilt", tilt.ToString(CultureInfo.InvariantCulture)])
                start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The RTSP test camera did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        Uri? onvifUrl = null;
        var mjpegUrls = new Dictionary<string, string>();
        try
        {
            var ready = 0;
            while (ready < paths.Count || (onvif is not null && onvifUrl is null) || (mjpegOverHttp && mjpegUrls.Count < paths.Count))
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                           ?? throw new InvalidOperationException($"The RTSP test camera exited before it was ready: {await stderr}");
                if (line.StartsWith("READY ", StringComparison.Ordinal)) ready++;
                else if (line.StartsWith("ONVIF ", StringComparison.Ordinal)) onvifUrl = new Uri(line["ONVIF ".Length..]);
                else if (line.StartsWith("MJPEG ", StringComparison.Ordinal))
                    mjpegUrls[Path.GetFileNameWithoutExtension(new Uri(line["MJPEG ".Length..]).AbsolutePath)] = line["MJPEG ".Length..];
            }
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
        return new RtspTestCamera(process, chosenPort, onvifUrl, mjpegUrls);
    }

    /// <summary>Ends the server as an operator would (SIGTERM), dropping every client's connection.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        using (var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await terminate.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private static string Script => Path.Combine(RepositoryRoot.Path, "deploy", "test-camera", "rtsp-test-camera.py");
}
