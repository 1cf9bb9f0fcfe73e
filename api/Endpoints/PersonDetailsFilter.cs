using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Contracts.Incidents;

namespace SafetyNet.Api.Endpoints;

/// <summary>
/// Every incident view an incident endpoint answers with loses the SOS person's category and trail unless the caller's
/// agency shares them (responds, or opened it) or the caller audits or runs the platform. One filter on the group, so no
/// endpoint, present or added later, can hand them out by forgetting.
/// </summary>
public static class PersonDetailsFilter
{
    public static RouteGroupBuilder WithholdPersonDetails(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var user = context.HttpContext.User;
            if (user.IsInRole(Roles.PlatformAdmin) || user.IsInRole(Roles.Auditor)) return result;
            var agency = user.ToOperator().AgencyId;
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            return inner switch
            {
                Ok<IncidentView> { Value: { HasPersonDetails: true } view } when !view.SharesPersonWith(agency) => TypedResults.Ok(view.WithoutPerson()),
                Created<IncidentView> { Value: { HasPersonDetails: true } view } created when !view.SharesPersonWith(agency) =>
                    TypedResults.Created(created.Location, view.WithoutPerson()),
                _ => result,
            };
        });
        return group;
    }
}
