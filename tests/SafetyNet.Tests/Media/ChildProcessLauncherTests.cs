using System.Diagnostics;
using SafetyNet.Grains.Media;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Media;

/// <summary>
/// The Linux trap the launcher exists for: a parent-death signal fires when the thread that forked the child exits, so a
/// relay started from a thread-pool thread would die when that thread retires, healthy or not.
/// </summary>
[Collection(MediaCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ChildProcessLauncherTests
{
    private static readonly TimeSpan SignalTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_process_started_through_the_launcher_survives_the_retirement_of_the_thread_that_asked_for_it()
    {
        using var launcher = new ChildProcessLauncher("setpriv");
        Process? forkedByTheThread = null, launched = null;
        var asker = new Thread(() =>
        {
            forkedByTheThread = Process.Start(new ProcessStartInfo("setpriv", "--pdeathsig KILL -- sleep 60"))!;
            launched = launcher.StartAsync("sleep", "60", Path.GetTempPath()).GetAwaiter().GetResult();
            // setpriv arms the signal and then becomes sleep; a thread that left before that would leave nothing to signal.
            Assert.True(SpinWait.SpinUntil(() => Executed(forkedByTheThread, "sleep"), SignalTimeout));
        });
        asker.Start();
        asker.Join();
        try
        {
            // The thread's exit kills what it forked itself ...
            await Eventually.WaitAsync(() => Task.FromResult(forkedByTheThread!.HasExited), exited => exited, SignalTimeout,
                "the process forked by the exited thread to get its parent-death signal");
            // ... so had the launcher forked from that thread too, its process would be gone by now as well.
            Assert.False(launched!.HasExited);
        }
        finally
        {
            if (forkedByTheThread is { HasExited: false }) forkedByTheThread.Kill();
            if (launched is { HasExited: false }) launched.Kill();
        }
    }

    private static bool Executed(Process process, string program)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline").StartsWith(program + "\0", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Disposing_the_launcher_kills_what_it_started_and_refuses_more()
    {
        var launcher = new ChildProcessLauncher("setpriv");
        using var launched = await launcher.StartAsync("sleep", "60", Path.GetTempPath());

        launcher.Dispose();

        await Eventually.WaitAsync(() => Task.FromResult(launched.HasExited), exited => exited, SignalTimeout, "the launched process to be killed");
        Assert.Equal(128 + 9, launched.ExitCode);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => launcher.StartAsync("sleep", "60", Path.GetTempPath()));
    }

    [Fact]
    public async Task A_setpriv_that_cannot_start_is_refused_with_the_setting_named()
    {
        using var launcher = new ChildProcessLauncher("/nonexistent/setpriv");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => launcher.VerifyAsync("Media:SetprivPath"));
        Assert.Contains("Media:SetprivPath", error.Message);
    }
}
