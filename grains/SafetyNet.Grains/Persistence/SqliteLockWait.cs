using System.Diagnostics;
using System.Runtime.InteropServices;
using SafetyNet.Grains.Observability;
using SQLitePCL;

namespace SafetyNet.Grains.Persistence;

/// <summary>
/// How a connection waits for SQLite's one write lock: it looks again every 100 µs at first, and backs off to every 2 ms
/// only after 100 ms, for up to 30 s in all (then the statement fails with SQLITE_BUSY).
/// SQLite's own handler (<c>PRAGMA busy_timeout</c>) sleeps 1, 2, 5, 10, 15, 20 and 25 ms between its looks: a writer
/// that missed a lock held for 1.2 ms slept 8 ms, and the thread-pool thread it ran on slept with it. The embedded node's
/// locks are held for a commit of a few pages, so a short look finds most of them free.
/// </summary>
public static class SqliteLockWait
{
    private const uint FirstPollMicroseconds = 100;
    private const uint LaterPollMicroseconds = 2_000;
    private static readonly long BackOffAfterTicks = Stopwatch.Frequency / 10;
    private static readonly long TimeoutTicks = 30 * Stopwatch.Frequency;

    [ThreadStatic] private static long _waitStarted;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int BusyHandler(IntPtr state, int attempts);

    // Kept in a static field: SQLite holds the function pointer for the life of every connection.
    private static readonly BusyHandler Handler = OnBusy;

    /// <summary>Installs the wait on a connection's native handle (it replaces any <c>busy_timeout</c> set before).</summary>
    public static void Install(sqlite3 handle)
    {
        var result = sqlite3_busy_handler(handle.DangerousGetHandle(), Handler, IntPtr.Zero);
        if (result != raw.SQLITE_OK) throw new InvalidOperationException($"SQLite refused the lock wait (error {result}).");
    }

    /// <summary>SQLite asks whether to look again (non-zero) or give up with SQLITE_BUSY (zero).</summary>
    private static int OnBusy(IntPtr state, int attempts)
    {
        var now = Stopwatch.GetTimestamp();
        if (attempts == 0)
        {
            _waitStarted = now;
            CountWait();
        }
        var waited = now - _waitStarted;
        if (waited >= TimeoutTicks) return 0;
        Pause(waited < BackOffAfterTicks ? FirstPollMicroseconds : LaterPollMicroseconds);
        return 1;
    }

    /// <summary>An exception must not unwind into SQLite's native frames (it would end the process): a failing listener loses the count.</summary>
    private static void CountWait()
    {
        try
        {
            DatabaseMetrics.LockWaits.Add(1);
        }
        catch (Exception)
        {
            // The wait itself goes on; only the measurement is lost.
        }
    }

    private static void Pause(uint microseconds)
    {
        if (OperatingSystem.IsWindows()) Thread.Sleep(1);
        else usleep(microseconds);
    }

    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_busy_handler(IntPtr db, BusyHandler handler, IntPtr state);

    [DllImport("libc", SetLastError = false)]
    private static extern int usleep(uint microseconds);
}
