using Microsoft.Extensions.Time.Testing;
using SafetyNet.Contracts.Access;
using SafetyNet.Grains.Access;

namespace SafetyNet.Tests.Grains;

/// <summary>The grant registry's rules: which grants hold on a camera, and when each ends there.</summary>
public sealed class GrantCoverageTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly GrantRegistryState _state = new();

    private GrantCoverage Coverage => new(_state);

    private AccessGrant Grant(string id, params string[] cameras) => new(id, "seoul-119", AccessPurpose.EmergencyResponse, "inc-1",
        _clock.GetUtcNow(), _clock.GetUtcNow().AddMinutes(30), cameras, Priority: 2);

    [Fact]
    public void An_issued_grant_holds_on_its_cameras_only_until_its_own_expiry()
    {
        Coverage.Issue(Grant("g1", "c1", "c2"));

        var onC1 = Assert.Single(Coverage.Covering("c1", _clock.GetUtcNow()));
        Assert.Equal(["c1"], onC1.CameraIds);
        Assert.Equal(2, onC1.Priority);
        Assert.Empty(Coverage.Covering("c3", _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Empty(Coverage.Covering("c1", _clock.GetUtcNow()));
    }

    [Fact]
    public void A_shortening_ends_the_grant_on_the_named_cameras_only_and_never_lengthens_it()
    {
        var grant = Grant("g1", "c1", "c2");
        Coverage.Issue(grant);
        var touched = Coverage.Shorten(grant, ["c1"], _clock.GetUtcNow().AddMinutes(1)).ToArray();
        Assert.Equal(["c1"], touched);
        Coverage.Shorten(grant, ["c1"], _clock.GetUtcNow().AddMinutes(10));

        Assert.Equal(_clock.GetUtcNow().AddMinutes(1), Assert.Single(Coverage.Covering("c1", _clock.GetUtcNow())).ExpiresAt);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(Coverage.Covering("c1", _clock.GetUtcNow()));
        Assert.Single(Coverage.Covering("c2", _clock.GetUtcNow()));
    }

    [Fact]
    public void Issuing_again_renews_the_grant_on_the_cameras_it_names()
    {
        var grant = Grant("g1", "c1");
        Coverage.Issue(grant);
        Coverage.Shorten(grant, ["c1"], _clock.GetUtcNow().AddMinutes(1));
        Coverage.Issue(grant with { CameraIds = ["c1", "c2"] });

        Assert.Equal(grant.ExpiresAt, Assert.Single(Coverage.Covering("c1", _clock.GetUtcNow())).ExpiresAt);
        Assert.Single(Coverage.Covering("c2", _clock.GetUtcNow()));
    }

    [Fact]
    public void A_revocation_removes_the_grant_from_every_camera_it_held_on()
    {
        Coverage.Issue(Grant("g1", "c1", "c2"));
        Coverage.Issue(Grant("g2", "c2"));

        Assert.Equal(["c1", "c2"], Coverage.Revoke("g1").Order());
        Assert.Empty(Coverage.Covering("c1", _clock.GetUtcNow()));
        Assert.Equal("g2", Assert.Single(Coverage.Covering("c2", _clock.GetUtcNow())).GrantId);
        Assert.Empty(Coverage.Revoke("unknown"));
    }

    [Fact]
    public void A_withdrawn_grant_is_never_put_in_force_afterwards_and_is_forgotten_at_its_expiry()
    {
        var grant = Grant("g1", "c1", "c2");
        Assert.Empty(Coverage.Withdraw(grant));

        Assert.Empty(Coverage.Issue(grant));
        Assert.Empty(Coverage.Shorten(grant, ["c1"], _clock.GetUtcNow().AddMinutes(1)));
        Assert.Empty(Coverage.Covering("c1", _clock.GetUtcNow()));
        Assert.Empty(Coverage.Cameras);
        Assert.Empty(Coverage.Prune(_clock.GetUtcNow()));
        Assert.True(_state.Grants["g1"].Withdrawn);

        _clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(["g1"], Coverage.Prune(_clock.GetUtcNow()));
        Assert.Empty(_state.Grants);
    }

    [Fact]
    public void Withdrawing_an_issued_grant_ends_it_on_every_camera_and_keeps_it_ended()
    {
        var grant = Grant("g1", "c1", "c2");
        Coverage.Issue(grant);

        Assert.Equal(["c1", "c2"], Coverage.Withdraw(grant).Order());
        Assert.Empty(Coverage.Covering("c1", _clock.GetUtcNow()));
        Assert.Empty(Coverage.Issue(grant));
        Assert.Empty(Coverage.Covering("c2", _clock.GetUtcNow()));
    }

    [Fact]
    public void A_new_priority_reaches_every_camera_of_the_grant_and_keeps_its_ends()
    {
        var grant = Grant("g1", "c1", "c2");
        Coverage.Issue(grant);
        Coverage.Shorten(grant, ["c2"], _clock.GetUtcNow().AddMinutes(1));

        Assert.Equal(["c1", "c2"], Coverage.Reprioritise("g1", 1).Order());
        Assert.All(Coverage.Covering("c1", _clock.GetUtcNow()).Concat(Coverage.Covering("c2", _clock.GetUtcNow())), g => Assert.Equal(1, g.Priority));
        Assert.Equal(_clock.GetUtcNow().AddMinutes(1), Assert.Single(Coverage.Covering("c2", _clock.GetUtcNow())).ExpiresAt);
    }

    [Fact]
    public void Pruning_forgets_ended_grants_so_the_state_holds_only_live_ones()
    {
        var grant = Grant("g1", "c1", "c2");
        Coverage.Issue(grant);
        Coverage.Issue(Grant("g2", "c3") with { ExpiresAt = _clock.GetUtcNow().AddMinutes(60) });
        Coverage.Shorten(grant, ["c1"], _clock.GetUtcNow().AddMinutes(1));

        _clock.Advance(TimeSpan.FromMinutes(2));
        // What changed is what the registry writes: g1 lost c1, g2 is untouched.
        Assert.Equal(["g1"], Coverage.Prune(_clock.GetUtcNow()));
        Assert.Equal(["c2", "c3"], Coverage.Cameras.Order());
        _clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(["g1"], Coverage.Prune(_clock.GetUtcNow()));
        Assert.Equal(["g2"], _state.Grants.Keys);
        Assert.Empty(Coverage.Prune(_clock.GetUtcNow()));
    }

    [Fact]
    public void Pruning_skips_its_scan_until_an_end_has_come_and_still_finds_ends_recorded_after_it_looked()
    {
        var now = _clock.GetUtcNow();
        var grant = Grant("g1", "c1", "c2");
        Coverage.Issue(grant);
        Assert.Empty(Coverage.Prune(now));
        Assert.Equal(grant.ExpiresAt, _state.NoEndBefore);

        // A later grant that ends sooner, and a shortening, each bring the bound forward; pruning finds both at their time.
        Coverage.Issue(Grant("g2", "c3") with { ExpiresAt = now.AddMinutes(5) });
        Coverage.Shorten(grant, ["c1"], now.AddMinutes(3));
        Assert.Equal(now.AddMinutes(3), _state.NoEndBefore);
        Assert.Empty(Coverage.Prune(now.AddMinutes(2)));
        Assert.Equal(["g1"], Coverage.Prune(now.AddMinutes(3)));
        Assert.Equal(now.AddMinutes(5), _state.NoEndBefore);
        Assert.Equal(["g2"], Coverage.Prune(now.AddMinutes(6)));
        Assert.Equal(["c2"], Coverage.Cameras);

        // A state read back from storage has no bound yet: its first pruning scans it.
        var reloaded = new GrantRegistryState { Grants = _state.Grants };
        Assert.Equal(["g1"], new GrantCoverage(reloaded).Prune(now.AddMinutes(31)));
        Assert.Empty(reloaded.Grants);
    }
}
