using System.Diagnostics;

namespace SafetyNet.Grains.Media;

/// <summary>An ffmpeg command line and the folder it runs in (its outputs are relative to it).</summary>
internal sealed record FfmpegCommand(string Arguments, string WorkingDirectory);

/// <summary>
/// One ffmpeg run to its end: started by the launcher, its error lines reported, and when stopped asked to finish ("q" on its
/// standard input, so a relay closes its last segment) and killed if it has not within the grace period.
/// </summary>
internal static class FfmpegRun
{
    /// <returns>ffmpeg's exit code.</returns>
    /// <exception cref="OperationCanceledException">Stopped before ffmpeg started.</exception>
    /// <param name="onStarted">Told the process id once ffmpeg runs.</param>
    public static async Task<int> RunAsync(ChildProcessLauncher launcher, string ffmpegPath, FfmpegCommand command, Action<string>? onError,
        TimeSpan grace, CancellationToken stop, Action<int>? onStarted = null)
    {
        stop.ThrowIfCancellationRequested();
        using var process = await launcher.StartAsync(ffmpegPath, command.Arguments, command.WorkingDirectory);
        onStarted?.Invoke(process.Id);
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null) onError?.Invoke(line.Data);
        };
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync(CancellationToken.None);
        try
        {
            await exited.WaitAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await FinishAsync(process, exited, grace);
        }
        return process.ExitCode;
    }

    private static async Task FinishAsync(Process process, Task exited, TimeSpan grace)
    {
        try
        {
            await process.StandardInput.WriteAsync('q');
            await process.StandardInput.FlushAsync();
            await exited.WaitAsync(grace);
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            // Still running after the grace period, or already gone (its standard input closed); Kill spares an exited process.
            process.Kill();
        }
        await exited;
    }
}
