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

    /// <summary>From creating the host until it had started, which includes seeding the demo city.</summary>
    public TimeSpan Startup { get; }

    public static async Task<InProcessNode> StartSeededAsync()
    {
        var dataDirectory = BenchNodeSettings.NewDataDirectory();
        var settings = BenchNodeSettings.For(dataDirectory);
        settings["urls"] = "http://127.0.0.1:0";
        settings["Logging:LogLevel:Default"] = "Warning";
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
