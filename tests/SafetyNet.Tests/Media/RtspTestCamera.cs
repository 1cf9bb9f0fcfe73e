using System.Diagnostics;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Media;

/// <summary>deploy/test-camera/rtsp-test-camera.py run as a child process: a real RTSP server with one stream per path.</summary>
public sealed class RtspTestCamera : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly Process _process;

    private RtspTestCamera(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url(string path) => $"rtsp://127.0.0.1:{Port}/{path}";

    /// <summary>Starts the server and returns once it has printed READY for every path.</summary>
    public static async Task<RtspTestCamera> StartAsync(IReadOnlyList<string> paths, int? port = null)
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
        var process = Process.Start(start) ?? throw new InvalidOperationException("The RTSP test camera did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            var ready = 0;
            while (ready < paths.Count)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                           ?? throw new InvalidOperationException($"The RTSP test camera exited before it was ready: {await stderr}");
                if (line.StartsWith("READY ", StringComparison.Ordinal)) ready++;
            }
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
        return new RtspTestCamera(process, chosenPort);
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
