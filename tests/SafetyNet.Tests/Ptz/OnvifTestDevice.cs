using System.Diagnostics;
using SafetyNet.Grains.Ptz;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Ptz;

/// <summary>deploy/test-camera/onvif_ptz_device.py run as a child process: a real ONVIF PTZ device on HTTP with a "gate" preset.</summary>
public sealed class OnvifTestDevice : IAsyncDisposable
{
    public const string User = "ptz-admin";
    public const string Password = "Ptz:S3cret@1";

    private readonly Process _process;
    private readonly HttpClient _probeHttp = new();

    private OnvifTestDevice(Process process, Uri serviceUrl)
    {
        _process = process;
        ServiceUrl = serviceUrl;
    }

    /// <summary>The device service without credentials, e.g. http://127.0.0.1:PORT/onvif/device_service.</summary>
    public Uri ServiceUrl { get; }

    /// <summary>The URL a district stores: the device service with user:password in it (the password escaped, as in a stream URL).</summary>
    public string UrlWith(string user, string password) =>
        $"http://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{ServiceUrl.Authority}{ServiceUrl.AbsolutePath}";

    public string Url => UrlWith(User, Password);

    /// <summary>Reads and moves the device as the node's ONVIF client does, over plain connections of the test's own.</summary>
    public OnvifPtzClient Probe => new(_probeHttp, OnvifDeviceAddress.Parse(Url), TimeProvider.System, TimeSpan.FromSeconds(5));

    public static async Task<OnvifTestDevice> StartAsync()
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Script, "--port", FreePorts.Next().ToString(), "--user", User, "--password", Password, "--preset", "gate=0.5,-0.5"])
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The ONVIF test device did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                       ?? throw new InvalidOperationException($"The ONVIF test device exited before it was ready: {await stderr}");
            if (!line.StartsWith("ONVIF ", StringComparison.Ordinal)) throw new InvalidOperationException($"The ONVIF test device said: {line}");
            return new OnvifTestDevice(process, new Uri(line["ONVIF ".Length..]));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _probeHttp.Dispose();
        if (!_process.HasExited)
        {
            using (var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await terminate.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }
        _process.Dispose();
    }

    private static string Script => Path.Combine(RepositoryRoot.Path, "deploy", "test-camera", "onvif_ptz_device.py");
}
