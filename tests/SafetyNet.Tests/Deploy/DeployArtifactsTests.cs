using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace SafetyNet.Tests.Deploy;

/// <summary>
/// Docker and Kubernetes cannot run on the development machines, so the deployment artifacts are checked as far as
/// a test can: every YAML and JSON file under deploy/ parses, and the facts the runbook relies on hold
/// (a compose file with PostgreSQL and 3 nodes, probes on /health/ready and /health/live, the Orleans Kubernetes
/// hosting labels, environment and RBAC, one signing key for all nodes, one seeding node).
/// </summary>
public sealed class DeployArtifactsTests
{
    private static readonly string Repository = FindRepository();
    private static readonly string DeployDirectory = Path.Combine(Repository, "deploy");

    public static TheoryData<string> YamlFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in FilesUnderDeploy("*.yaml", "*.yml")) data.Add(Path.GetRelativePath(Repository, file));
        return data;
    }

    [Fact]
    public void Deploy_holds_the_compose_file_and_the_kubernetes_manifests()
    {
        var yaml = FilesUnderDeploy("*.yaml", "*.yml").Select(f => Path.GetRelativePath(DeployDirectory, f).Replace('\\', '/')).ToArray();
        Assert.Contains("container/docker-compose.yml", yaml);
        Assert.True(yaml.Count(f => f.StartsWith("kubernetes/", StringComparison.Ordinal)) >= 5, string.Join(", ", yaml));
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Every_yaml_file_parses(string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(Repository, relativePath));
        var documents = ParseYaml(text, relativePath);
        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.IsType<Dictionary<object, object>>(d));
    }

    [Fact]
    public void Every_json_file_parses()
    {
        var failures = new List<string>();
        foreach (var file in FilesUnderDeploy("*.json"))
        {
            try
            {
                using var _ = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
            }
            catch (JsonException e)
            {
                failures.Add($"{Path.GetRelativePath(Repository, file)}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [InlineData("a: [1, 2\n")]
    [InlineData("a: 1\n a: 2\n")]
    [InlineData("a: 1\na: 2\n")]
    [InlineData("key: \"unterminated\n")]
    public void The_yaml_check_rejects_broken_yaml(string broken) =>
        Assert.ThrowsAny<YamlException>(() => ParseYaml(broken, "broken.yaml"));

    [Fact]
    public void The_json_check_rejects_broken_json() =>
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse("{\"a\": 1,}"));

    // ---- docker compose ---------------------------------------------------------------------------------------------

    [Fact]
    public void Compose_runs_postgres_and_three_nodes_that_share_one_signing_key_and_seed_once()
    {
        var compose = Map(ParseYamlFile("deploy/container/docker-compose.yml").Single());
        var services = Map(compose["services"]);
        Assert.True(services.ContainsKey("postgres"), "no postgres service");
        Assert.StartsWith("postgres:", Scalar(Map(services["postgres"])["image"]));
        Assert.Contains("pg_isready", string.Join(' ', Seq(Map(Map(services["postgres"])["healthcheck"])["test"]).Select(Scalar)));

        var nodes = services.Where(s => Map(s.Value).TryGetValue("environment", out var env) && Map(env).ContainsKey("Cluster__Provider"))
            .ToDictionary(s => s.Key, s => Map(s.Value));
        Assert.Equal(3, nodes.Count);
        foreach (var (name, node) in nodes)
        {
            var env = Map(node["environment"]).ToDictionary(e => e.Key, e => Scalar(e.Value));
            Assert.Equal("Postgres", env["Cluster__Provider"]);
            Assert.Contains("Host=postgres", env["ConnectionStrings__SafetyNet"]);
            Assert.Equal("deploy/container/Dockerfile", Scalar(Map(node["build"])["dockerfile"]));
            Assert.Contains("/health/ready", string.Join(' ', Seq(Map(node["healthcheck"])["test"]).Select(Scalar)));
            Assert.Contains("postgres", Map(node["depends_on"]).Keys);
            var grace = Scalar(node["stop_grace_period"]);
            Assert.True(grace.EndsWith('s') && int.TryParse(grace[..^1], out var seconds) && seconds >= 30,
                $"{name}: stop_grace_period '{grace}' must leave at least 30 s for the graceful drain");
        }
        var envs = nodes.Values.Select(n => Map(n["environment"]).ToDictionary(e => e.Key, e => Scalar(e.Value))).ToArray();
        Assert.Single(envs.Select(e => e["Auth__SigningKey"]).Distinct());
        Assert.Contains("SAFETYNET_SIGNING_KEY", envs[0]["Auth__SigningKey"]);
        Assert.Single(envs, e => e["Demo__Seed"] == "true");
        Assert.Equal(3, envs.Select(e => e["Cluster__AdvertisedAddress"]).Distinct().Count());
        Assert.Equal(3, nodes.Values.SelectMany(n => Seq(n["ports"]).Select(Scalar)).Distinct().Count());
    }

    // ---- kubernetes ---------------------------------------------------------------------------------------------------

    [Fact]
    public void Kubernetes_nodes_have_probes_on_the_health_endpoints()
    {
        var node = NodeContainer(out _);
        Assert.Equal("/health/ready", Scalar(Map(Map(node["readinessProbe"])["httpGet"])["path"]));
        Assert.Equal("/health/live", Scalar(Map(Map(node["livenessProbe"])["httpGet"])["path"]));
        var ports = Seq(node["ports"]).Select(p => Scalar(Map(p)["containerPort"])).ToArray();
        Assert.Contains("8080", ports);
        Assert.Contains("11111", ports);
        Assert.Contains("30000", ports);
    }

    [Fact]
    public void Kubernetes_pods_carry_what_orleans_kubernetes_hosting_expects()
    {
        var node = NodeContainer(out var workload);
        var template = Map(Map(workload["spec"])["template"]);
        var labels = Map(Map(template["metadata"])["labels"]).ToDictionary(l => l.Key, l => Scalar(l.Value));
        var config = Map(Manifests().Single(m => Kind(m) == "ConfigMap")["data"]).ToDictionary(d => d.Key, d => Scalar(d.Value));
        Assert.Equal(config["Cluster__ServiceId"], labels["orleans/serviceId"]);
        Assert.Equal(config["Cluster__ClusterId"], labels["orleans/clusterId"]);
        Assert.Equal("Postgres", config["Cluster__Provider"]);

        var env = Seq(node["env"]).Select(Map).ToDictionary(e => Scalar(e["name"]));
        foreach (var name in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID", "Cluster__AdvertisedAddress" })
            Assert.True(env.ContainsKey(name), $"the node container lacks env {name}");
        Assert.Equal("status.podIP", Scalar(Map(Map(env["POD_IP"]["valueFrom"])["fieldRef"])["fieldPath"]));
        Assert.Equal("metadata.labels['orleans/serviceId']", Scalar(Map(Map(env["ORLEANS_SERVICE_ID"]["valueFrom"])["fieldRef"])["fieldPath"]));

        // The secret holds the connection string and the one signing key all pods share.
        var secretRefs = Seq(node["envFrom"]).Select(Map).Where(e => e.ContainsKey("secretRef")).Select(e => Scalar(Map(e["secretRef"])["name"])).ToArray();
        var secret = Manifests().Single(m => Kind(m) == "Secret");
        Assert.Contains(Name(secret), secretRefs);
        Assert.Contains("Auth__SigningKey", Map(secret["stringData"]).Keys);
        Assert.Contains("ConnectionStrings__SafetyNet", Map(secret["stringData"]).Keys);
    }

    [Fact]
    public void A_stopping_kubernetes_pod_answers_until_its_readiness_probe_has_taken_it_out_and_has_time_to_leave()
    {
        var node = NodeContainer(out var workload);
        var config = Map(Manifests().Single(m => Kind(m) == "ConfigMap")["data"]).ToDictionary(d => d.Key, d => Scalar(d.Value));
        var drain = TimeSpan.Parse(config["Shutdown__DrainDelay"], CultureInfo.InvariantCulture);
        var readiness = Map(node["readinessProbe"]);
        var probedOut = TimeSpan.FromSeconds(int.Parse(Scalar(readiness["periodSeconds"])) * int.Parse(Scalar(readiness["failureThreshold"])));
        Assert.True(drain >= probedOut, $"the drain ({drain}) ends before the readiness probe takes the pod out ({probedOut})");
        var grace = TimeSpan.FromSeconds(int.Parse(Scalar(Map(Map(Map(workload["spec"])["template"])["spec"])["terminationGracePeriodSeconds"])));
        // The host's own 30 s to stop the silo come after the drain.
        Assert.True(grace >= drain + TimeSpan.FromSeconds(30), $"terminationGracePeriodSeconds ({grace}) leaves the node no time to leave after its drain ({drain})");
    }

    [Fact]
    public void Kubernetes_rbac_lets_the_nodes_service_account_read_and_watch_pods()
    {
        NodeContainer(out var workload);
        var account = Scalar(Map(Map(Map(workload["spec"])["template"])["spec"])["serviceAccountName"]);
        Assert.Contains(Manifests(), m => Kind(m) == "ServiceAccount" && Name(m) == account);
        var role = Manifests().Single(m => Kind(m) == "Role");
        var podRule = Seq(role["rules"]).Select(Map).Single(r => Seq(r["resources"]).Select(Scalar).Contains("pods"));
        var verbs = Seq(podRule["verbs"]).Select(Scalar).ToArray();
        foreach (var verb in new[] { "get", "list", "watch", "patch" }) Assert.Contains(verb, verbs);
        var binding = Manifests().Single(m => Kind(m) == "RoleBinding");
        Assert.Equal(Name(role), Scalar(Map(binding["roleRef"])["name"]));
        Assert.Contains(Seq(binding["subjects"]).Select(Map), s => Scalar(s["kind"]) == "ServiceAccount" && Scalar(s["name"]) == account);
    }

    [Fact]
    public void Kubernetes_service_and_disruption_budget_select_the_node_pods()
    {
        NodeContainer(out var workload);
        var podLabels = Map(Map(Map(Map(workload["spec"])["template"])["metadata"])["labels"]).ToDictionary(l => l.Key, l => Scalar(l.Value));
        bool Selects(Dictionary<object, object> selector) => selector.All(s => podLabels.TryGetValue(s.Key, out var v) && v == Scalar(s.Value));

        var services = Manifests().Where(m => Kind(m) == "Service").ToArray();
        Assert.Contains(services, s => Selects(Map(Map(s["spec"])["selector"]))
            && Seq(Map(s["spec"])["ports"]).Select(Map).Any(p => Scalar(p["name"]) == "http"));
        var pdb = Manifests().Single(m => Kind(m) == "PodDisruptionBudget");
        Assert.True(Selects(Map(Map(Map(pdb["spec"])["selector"])["matchLabels"])), "the PodDisruptionBudget does not select the node pods");
        Assert.Equal("policy/v1", Scalar(pdb["apiVersion"]));
    }

    [Fact]
    public void Every_kubernetes_manifest_names_its_kind_and_the_safetynet_namespace()
    {
        foreach (var manifest in Manifests())
        {
            Assert.False(string.IsNullOrEmpty(Scalar(manifest["apiVersion"])));
            var kind = Kind(manifest);
            var metadata = Map(manifest["metadata"]);
            Assert.False(string.IsNullOrEmpty(Scalar(metadata["name"])), $"a {kind} without a name");
            if (kind != "Namespace") Assert.Equal("safetynet", Scalar(metadata["namespace"]));
        }
        Assert.Contains(Manifests(), m => Kind(m) == "Namespace" && Name(m) == "safetynet");
    }

    // ---- alerts ---------------------------------------------------------------------------------------------------------------

    [Fact]
    public void The_prometheus_alerts_each_have_an_expression_a_severity_and_a_summary_over_metrics_the_runbook_explains()
    {
        var rules = AlertRules();
        Assert.Contains(rules, rule => Scalar(rule["alert"]) == "SafetyNetDatabaseUnreachable");
        var runbook = File.ReadAllText(Path.Combine(Repository, "docs", "operations.md"));
        foreach (var rule in rules)
        {
            var name = Scalar(rule["alert"]);
            Assert.Contains(Scalar(Map(rule["labels"])["severity"]), new[] { "page", "ticket" });
            Assert.False(string.IsNullOrWhiteSpace(Scalar(Map(rule["annotations"])["summary"])), name);
            var metrics = AlertMetrics(Scalar(rule["expr"]));
            Assert.NotEmpty(metrics);
            foreach (var metric in metrics) Assert.True(runbook.Contains($"`{metric}"), $"{name} uses {metric}, which docs/operations.md does not explain");
        }
    }

    /// <summary>The rules of deploy/prometheus/safetynet-alerts.yml.</summary>
    public static IReadOnlyList<Dictionary<object, object>> AlertRules() =>
        Seq(Map(ParseYamlFile(Path.Combine("deploy", "prometheus", "safetynet-alerts.yml")).Single())["groups"])
            .SelectMany(group => Seq(Map(group)["rules"])).Select(Map).ToArray();

    /// <summary>The metric families an alert's expression reads (a histogram's bucket series by its family's name).</summary>
    public static IReadOnlyList<string> AlertMetrics(string expression) =>
        Regex.Matches(expression, @"\b(?:safetynet|http_server)_[a-z_]+").Select(m => Regex.Replace(m.Value, "_(bucket|count|sum)$", "")).Distinct().ToArray();

    // ---- image, unit, scripts ---------------------------------------------------------------------------------------------

    [Fact]
    public void The_image_builds_on_the_sdk_runs_on_aspnet_as_non_root_with_ffmpeg_and_a_health_check()
    {
        var lines = File.ReadAllLines(Path.Combine(DeployDirectory, "container", "Dockerfile")).Select(l => l.Trim()).Where(l => !l.StartsWith('#')).ToArray();
        var froms = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, froms.Length);
        Assert.Contains("dotnet/sdk", froms[0]);
        Assert.Contains("dotnet/aspnet", froms[1]);
        var text = string.Join('\n', lines);
        Assert.Contains("ffmpeg", text);
        Assert.Matches(@"(?m)^USER \$APP_UID$", text);
        Assert.Matches(@"(?m)^\s*CMD curl -fsS http://127\.0\.0\.1:8080/health/live", text);
        Assert.Contains("HEALTHCHECK", text);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"SafetyNet.Silo.dll\"]", text);
    }

    [Fact]
    public void The_systemd_unit_runs_the_node_with_a_graceful_stop()
    {
        var unit = File.ReadAllLines(Path.Combine(DeployDirectory, "systemd", "safetynet@.service"));
        var service = unit.SkipWhile(l => l.Trim() != "[Service]").Skip(1).TakeWhile(l => !l.TrimStart().StartsWith('['))
            .Where(l => l.Contains('=') && !l.TrimStart().StartsWith('#'))
            .Select(l => l.Split('=', 2)).ToLookup(p => p[0].Trim(), p => p[1].Trim());
        Assert.Contains("SafetyNet.Silo.dll", service["ExecStart"].Single());
        Assert.Equal("SIGTERM", service["KillSignal"].Single());
        Assert.Contains("/etc/safetynet/safetynet.env", service["EnvironmentFile"]);
        Assert.Contains(service["Environment"], e => e.StartsWith("Storage__DataDirectory=", StringComparison.Ordinal));
        Assert.Equal("2", service["RestartPreventExitStatus"].Single());
        Assert.True(File.Exists(Path.Combine(DeployDirectory, "systemd", "safetynet.env.example")));
    }

    [Theory]
    [InlineData("deploy/cluster/start-local-cluster.sh")]
    [InlineData("deploy/cluster/stop-local-cluster.sh")]
    public void The_local_cluster_scripts_are_executable_bash(string relativePath)
    {
        var path = Path.Combine(Repository, relativePath);
        Assert.StartsWith("#!/usr/bin/env bash", File.ReadLines(path).First());
        if (!OperatingSystem.IsWindows())
            Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{relativePath} is not executable");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------------------

    private static Dictionary<object, object> NodeContainer(out Dictionary<object, object> workload)
    {
        workload = Manifests().Single(m => Kind(m) is "StatefulSet" or "Deployment");
        var containers = Seq(Map(Map(Map(workload["spec"])["template"])["spec"])["containers"]).Select(Map).ToArray();
        return containers.Single(c => Scalar(c["name"]) == "node");
    }

    private static IReadOnlyList<Dictionary<object, object>> Manifests() =>
        FilesUnderDeploy("*.yaml", "*.yml")
            .Where(f => Path.GetRelativePath(DeployDirectory, f).Replace('\\', '/').StartsWith("kubernetes/", StringComparison.Ordinal))
            .SelectMany(f => ParseYaml(File.ReadAllText(f), f))
            .Select(Map)
            .ToArray();

    private static string Kind(Dictionary<object, object> manifest) => Scalar(manifest["kind"]);

    private static string Name(Dictionary<object, object> manifest) => Scalar(Map(manifest["metadata"])["name"]);

    private static Dictionary<object, object> Map(object? node) =>
        Assert.IsType<Dictionary<object, object>>(node);

    private static List<object> Seq(object? node) => Assert.IsType<List<object>>(node);

    private static string Scalar(object? node) => Assert.IsType<string>(node);

    private static IReadOnlyList<object?> ParseYamlFile(string relativePath) =>
        ParseYaml(File.ReadAllText(Path.Combine(Repository, relativePath)), relativePath);

    /// <summary>
    /// Every document of a YAML stream: first strictly through the representation model (syntax, duplicate keys,
    /// anchors), then into plain dictionaries/lists/strings with merge keys (&lt;&lt;: *anchor) applied.
    /// </summary>
    private static IReadOnlyList<object?> ParseYaml(string text, string name)
    {
        try
        {
            new YamlStream().Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new YamlException(e.Start, e.End, $"{name}: {e.Message}", e);
        }
        var deserializer = new DeserializerBuilder().Build();
        var parser = new MergingParser(new Parser(new StringReader(text)));
        parser.Consume<StreamStart>();
        var documents = new List<object?>();
        while (parser.Accept<DocumentStart>(out _))
            documents.Add(deserializer.Deserialize(parser));
        parser.Consume<StreamEnd>();
        return documents;
    }

    private static string[] FilesUnderDeploy(params string[] patterns) =>
        patterns.SelectMany(p => Directory.EnumerateFiles(DeployDirectory, p, SearchOption.AllDirectories))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules"))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln")) && Directory.Exists(Path.Combine(dir.FullName, "deploy")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No repository (Orleans.sln + deploy/) above {AppContext.BaseDirectory}.");
    }
}
