using Microsoft.Extensions.Time.Testing;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Grains.Agencies;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Grains;

/// <summary>
/// A silo's copy of the agency directory: what openings read instead of calling the directory's one activation. Here a
/// copy on a fake clock, over the real directory grain, stands for another silo's copy.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class AgencyDirectoryCacheTests(GrainClusterFixture fixture)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    private async Task<AgencyInfo> RegisterAsync(string kindOfName)
    {
        var agency = new AgencyInfo($"adc-{Guid.NewGuid():N}"[..16], $"Directory Cache {kindOfName}", AgencyKind.FireStation, false, ["11240"]);
        await fixture.Grains.GetGrain<IAgencyGrain>(agency.Id).UpsertAsync(agency, "test");
        return agency;
    }

    [Fact]
    public async Task A_copy_serves_for_its_freshness_then_reads_the_directory_again()
    {
        var cache = new AgencyDirectoryCache(fixture.Grains, _clock);
        var first = await RegisterAsync("first");
        Assert.True((await cache.GetAsync()).ContainsKey(first.Id));

        var second = await RegisterAsync("second");
        Assert.False((await cache.GetAsync()).ContainsKey(second.Id));

        _clock.Advance(AgencyDirectoryCache.Freshness);
        Assert.True((await cache.GetAsync()).ContainsKey(second.Id));
    }

    [Fact]
    public async Task An_agency_the_caller_names_is_read_afresh_before_it_is_called_unknown()
    {
        var cache = new AgencyDirectoryCache(fixture.Grains, _clock);
        await cache.GetAsync();
        var named = await RegisterAsync("named");

        var agencies = await cache.GetAsync([named.Id]);

        Assert.Equal(named.Name, agencies[named.Id].Name);
        Assert.False((await cache.GetAsync(["adc-never-registered"])).ContainsKey("adc-never-registered"));
    }

    [Fact]
    public async Task A_changed_jurisdiction_replaces_the_copy_and_an_older_roster_never_does()
    {
        var cache = new AgencyDirectoryCache(fixture.Grains, _clock);
        var agency = await RegisterAsync("moving");
        var before = await fixture.Grains.GetGrain<IAgencyDirectoryGrain>(0).GetRosterAsync();
        var moved = agency with { Districts = ["11230"] };
        await fixture.Grains.GetGrain<IAgencyGrain>(agency.Id).UpsertAsync(moved, "test");
        var after = await fixture.Grains.GetGrain<IAgencyDirectoryGrain>(0).GetRosterAsync();
        Assert.True(after.Version > before.Version);

        Assert.Equal(["11230"], cache.Remember(after, _clock.GetUtcNow())[agency.Id].Districts);
        Assert.Equal(["11230"], cache.Remember(before, _clock.GetUtcNow())[agency.Id].Districts);
        Assert.Equal(["11230"], (await cache.GetAsync())[agency.Id].Districts);

        // A read of the version already held, as every read after the copy's freshness runs out, keeps the copy as it is.
        var held = cache.Remember(after, _clock.GetUtcNow());
        _clock.Advance(AgencyDirectoryCache.Freshness);
        Assert.Same(held, await cache.GetAsync());
    }
}
