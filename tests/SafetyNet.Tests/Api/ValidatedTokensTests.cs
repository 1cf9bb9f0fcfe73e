using System.Security.Claims;
using Microsoft.Extensions.Time.Testing;
using SafetyNet.Api.Auth;

namespace SafetyNet.Tests.Api;

/// <summary>The rules of the node's cache of validated bearer tokens, on a fake clock.</summary>
public sealed class ValidatedTokensTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly ClaimsPrincipal _principal = new(new ClaimsIdentity([new Claim("sub", "operator-7")], "Bearer"));

    [Fact]
    public void A_token_is_found_until_it_expires_and_not_from_then_on()
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("header.payload.signature", _principal, _clock.GetUtcNow().AddMinutes(2));

        Assert.Same(_principal, tokens.Find("header.payload.signature"));
        Assert.Null(tokens.Find("header.payload.signaturE"));
        _clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromTicks(1));
        Assert.Same(_principal, tokens.Find("header.payload.signature"));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(tokens.Find("header.payload.signature"));
        Assert.Equal(0, tokens.Count);
    }

    [Fact]
    public void A_long_lived_token_is_kept_no_longer_than_the_maximum_age()
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("long-lived", _principal, _clock.GetUtcNow().AddHours(8));

        _clock.Advance(ValidatedTokens.MaxAge - TimeSpan.FromSeconds(1));
        Assert.NotNull(tokens.Find("long-lived"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(tokens.Find("long-lived"));
    }

    [Fact]
    public void A_token_already_expired_or_without_an_expiry_is_not_remembered()
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("expired", _principal, _clock.GetUtcNow().AddSeconds(-1));
        tokens.Remember("no-exp", _principal, new DateTimeOffset(DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc)));

        Assert.Null(tokens.Find("expired"));
        Assert.Null(tokens.Find("no-exp"));
        Assert.Equal(0, tokens.Count);
    }

    [Fact]
    public void A_full_cache_drops_expired_tokens_first_and_starts_over_only_when_every_one_is_still_valid()
    {
        var tokens = new ValidatedTokens(_clock);
        for (var i = 0; i < ValidatedTokens.Capacity - 1; i++) tokens.Remember($"short-{i}", _principal, _clock.GetUtcNow().AddMinutes(1));
        tokens.Remember("long", _principal, _clock.GetUtcNow().AddMinutes(4));
        _clock.Advance(TimeSpan.FromMinutes(2));

        tokens.Remember("after-the-short-ones", _principal, _clock.GetUtcNow().AddMinutes(1));
        Assert.Equal(2, tokens.Count);
        Assert.NotNull(tokens.Find("long"));

        for (var i = 0; i < ValidatedTokens.Capacity; i++) tokens.Remember($"valid-{i}", _principal, _clock.GetUtcNow().AddMinutes(1));
        Assert.True(tokens.Count <= ValidatedTokens.Capacity, $"{tokens.Count} entries");
        Assert.NotNull(tokens.Find($"valid-{ValidatedTokens.Capacity - 1}"));
    }
}
