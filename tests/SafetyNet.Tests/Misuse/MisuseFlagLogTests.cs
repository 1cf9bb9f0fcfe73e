using SafetyNet.Contracts.Misuse;
using SafetyNet.Grains.Misuse;

namespace SafetyNet.Tests.Misuse;

/// <summary>The misuse runner's log line for a tick's flags stays one short line however many flags the tick raised.</summary>
public sealed class MisuseFlagLogTests
{
    private static MisuseFlag Flag(string rule, int operatorNumber, string district) =>
        new($"flag-{rule}-{operatorNumber}-{district}", rule, district, $"seoul-112/op-{operatorNumber}", "seoul-112",
            DateTimeOffset.UnixEpoch, "summary", [1], "key");

    [Fact]
    public void A_burst_of_flags_is_counted_per_rule_and_listed_only_in_part()
    {
        var flags = Enumerable.Range(0, 500).Select(i => Flag(i % 5 == 0 ? MisuseRules.UnusualHours : MisuseRules.DeniedBurst, i, $"11{i % 25:D2}0")).ToList();

        var line = MisuseFlagRecords.LogSummary(flags);

        Assert.StartsWith("500 (denied-burst 400, unusual-hours 100): ", line);
        Assert.Contains("and 490 more (GET /api/v1/audit/flags)", line);
        Assert.True(line.Length < 1000, $"The line is {line.Length} characters long.");
    }

    [Fact]
    public void A_few_flags_are_all_listed()
    {
        var line = MisuseFlagRecords.LogSummary([Flag(MisuseRules.DeniedBurst, 1, "11010"), Flag(MisuseRules.DeniedBurst, 2, "11020")]);

        Assert.Equal("2 (denied-burst 2): denied-burst seoul-112/op-1 11010, denied-burst seoul-112/op-2 11020", line);
    }
}
