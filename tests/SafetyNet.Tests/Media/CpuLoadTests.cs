using Microsoft.Extensions.Time.Testing;
using SafetyNet.Grains.Media;

namespace SafetyNet.Tests.Media;

/// <summary>How a node reads its CPU load, which decides whether a new encoding relay may start.</summary>
public sealed class CpuLoadTests
{
    [Fact]
    public void Proc_stat_counts_idle_and_iowait_as_not_busy_and_guest_time_once()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice
        var reading = CpuReadings.ProcStat("cpu  100 10 50 800 20 5 5 10 40 4\ncpu0 50 5 25 400 10 2 3 5 20 2\nintr 1 2 3\n");
        Assert.Equal(new CpuReading(Busy: 180, Capacity: 1000), reading);
    }

    [Theory]
    [InlineData("")]
    [InlineData("intr 1 2 3\n")]
    [InlineData("cpu  100 ten 50 800\n")]
    [InlineData("cpu 1 2\n")]
    public void An_unreadable_proc_stat_gives_no_reading(string text) => Assert.Null(CpuReadings.ProcStat(text));

    [Fact]
    public void Cgroup_cpu_stat_gives_the_usage_line()
    {
        Assert.Equal(123456789, CpuReadings.CgroupUsageMicros("usage_usec 123456789\nuser_usec 100\nsystem_usec 23\nnr_periods 0\n"));
        Assert.Null(CpuReadings.CgroupUsageMicros("user_usec 100\n"));
    }

    [Fact]
    public void The_share_is_the_busy_time_over_the_capacity_between_two_readings()
    {
        Assert.Equal(0.25, CpuReading.ShareBetween(new CpuReading(100, 1000), new CpuReading(150, 1200)));
        Assert.Null(CpuReading.ShareBetween(new CpuReading(100, 1000), new CpuReading(150, 1000)));
        Assert.Null(CpuReading.ShareBetween(new CpuReading(100, 1000), new CpuReading(90, 1200)));
    }

    [Fact]
    public void The_load_is_unknown_until_two_readings_and_then_covers_the_last_three_seconds()
    {
        var time = new FakeTimeProvider();
        var readings = new Queue<CpuReading>([new(0, 0), new(100, 100), new(200, 200), new(210, 300), new(220, 400), new(230, 500)]);
        using var load = new CpuLoad(time, () => readings.Dequeue());
        Assert.Null(load.RecentShare);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1.0, load.RecentShare);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(210.0 / 300, load.RecentShare!.Value, 6);
        // The two seconds of full load have left the window.
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(30.0 / 300, load.RecentShare!.Value, 6);
    }

    [Fact]
    public void A_failed_read_is_skipped()
    {
        var time = new FakeTimeProvider();
        var readings = new Queue<CpuReading?>([new CpuReading(0, 0), null, new CpuReading(50, 200)]);
        using var load = new CpuLoad(time, () => readings.Dequeue());
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0.25, load.RecentShare);
    }
}
