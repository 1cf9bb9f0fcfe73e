using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Contracts.Sessions;
using SafetyNet.Silo.Hosting;

namespace SafetyNet.Tests.Hosting;

/// <summary>
/// Which grain calls are sent again when their silo left before answering: the reads an access decision makes (so a node
/// leaving costs the operator nothing), never a call that may already have changed a grain (so nothing is done twice).
/// </summary>
public sealed class LeftSiloReadRetryTests
{
    [Theory]
    [InlineData(typeof(ICameraGrain), nameof(ICameraGrain.GetAsync), true)]
    [InlineData(typeof(IDistrictGrain), nameof(IDistrictGrain.GetPolicyAsync), true)]
    [InlineData(typeof(IAgencySessionGrain), nameof(IAgencySessionGrain.DecideAsync), true)]
    [InlineData(typeof(ICameraGrain), nameof(ICameraGrain.DecideAndLeaseAsync), false)]
    [InlineData(typeof(ICameraGrain), nameof(ICameraGrain.UpdateAsync), false)]
    [InlineData(typeof(ICameraGrain), nameof(ICameraGrain.EndLeaseAsync), false)]
    [InlineData(typeof(IIncidentGrain), nameof(IIncidentGrain.OpenAsync), false)]
    [InlineData(typeof(IIncidentGrain), nameof(IIncidentGrain.MoveAsync), false)]
    public void Only_calls_that_change_no_grain_are_sent_again(Type grain, string method, bool resent) =>
        Assert.Equal(resent, LeftSiloReadRetry.IsReadOnly(grain.GetMethod(method)!));
}
