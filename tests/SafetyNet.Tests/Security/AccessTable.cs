using System.Text.RegularExpressions;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Security;

/// <summary>One row of the README's access table: which roles may call an operation, and the scope that narrows them.</summary>
public sealed record AccessRule(string Method, string PathPattern, IReadOnlySet<string> Roles, bool Anonymous, IReadOnlySet<string> Scopes)
{
    public bool Matches(ApiOperation operation) =>
        operation.Method == Method && (PathPattern.EndsWith("/*")
            ? operation.Path == PathPattern[..^2] || operation.Path.StartsWith(PathPattern[..^1], StringComparison.Ordinal)
            : operation.Path == PathPattern);

    public bool Has(string scope) => Scopes.Contains(scope);

    public override string ToString() => $"{Method} {PathPattern}";
}

/// <summary>The access table between the README's access-table markers: the one the authorization walk checks against.</summary>
public static partial class AccessTable
{
    public static readonly string[] AllRoles = ["operator", "supervisor", "district-admin", "auditor", "dispatch-system", "platform-admin"];

    public static IReadOnlyList<AccessRule> FromReadme()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var start = readme.IndexOf("<!-- access-table:start -->", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- access-table:end -->", StringComparison.Ordinal);
        if (start < 0 || end < start) throw new InvalidOperationException("README.md has no access table between <!-- access-table:start/end --> markers.");
        var rules = new List<AccessRule>();
        foreach (var line in readme[start..end].Split('\n'))
        {
            var match = Row().Match(line);
            if (!match.Success) continue;
            var roles = match.Groups["roles"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var anonymous = roles.Contains("anonymous");
            var named = roles.Contains("any") || anonymous ? AllRoles : roles;
            var unknown = named.Except(AllRoles).ToList();
            if (unknown.Count > 0) throw new InvalidOperationException($"README access table names unknown roles: {string.Join(", ", unknown)} ({line})");
            var scopes = match.Groups["scope"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            rules.Add(new AccessRule(match.Groups["method"].Value, match.Groups["path"].Value, named.ToHashSet(), anonymous, scopes));
        }
        return rules;
    }

    [GeneratedRegex(@"^\|\s*`(?<method>[A-Z]+) (?<path>[^`]+)`\s*\|\s*(?<roles>[^|]+?)\s*\|\s*(?<scope>[^|]*?)\s*\|\s*$")]
    private static partial Regex Row();
}
