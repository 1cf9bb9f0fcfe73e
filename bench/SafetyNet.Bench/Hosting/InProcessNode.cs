using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Silo.Hosting;

namespace SafetyNet.Bench.Hosting;

/// <summary>A whole node (silo + API) in this process, on a fresh data directory that is deleted afterwards.</summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private InProcessNode(WebApplication app, string dataDirectory, TimeSpan startup)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Startup = startup;
    }

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _app.Services;

    /// <summary>The node's fresh data directory (Storage:DataDirectory); relays write under {DataDirectory}/media.</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>From creating the host until it had started, which includes seeding the demo city.</summary>
    public TimeSpan Startup { get; }

    /// <summary>The loopback address Kestrel bound (a free port chosen at start), e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseAddress => new(_app.Urls.First());

    /// <param name="overrides">Extra configuration ("Section:Key" = value) on top of <see cref="BenchNodeSettings"/>.</param>
    public static async Task<InProcessNode> StartSeededAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var dataDirectory = BenchNodeSettings.NewDataDirectory();
        var settings = BenchNodeSettings.For(dataDirectory);
        settings["urls"] = "http://127.0.0.1:0";
        settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;
        var started = Stopwatch.GetTimestamp();
        var app = await NodeHost.CreateAsync([], settings);
        await app.StartAsync();
        return new InProcessNode(app, dataDirectory, Stopwatch.GetElapsedTime(started));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
