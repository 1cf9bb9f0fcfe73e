using Microsoft.Extensions.Options;
using SafetyNet.Silo.Hosting;

SharedBufferPool.Size();
try
{
    if (args.FirstOrDefault() == OfflineAuditVerify.Verb) return await OfflineAuditVerify.RunAsync(args);
    if (args.FirstOrDefault() == OfflineEvidenceVerify.Verb) return OfflineEvidenceVerify.Run(args);
    var app = await NodeHost.CreateAsync(args);
    if (args.Contains("migrate"))
    {
        app.Logger.LogInformation("Schema migrated; exiting (migrate verb)");
        return 0;
    }
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (InvalidSettings(e) is { Count: > 0 } failures)
{
    Console.Error.WriteLine("SafetyNet cannot start: the configuration is invalid.");
    foreach (var failure in failures) Console.Error.WriteLine($"  - {failure}");
    return 2;
}
catch (Exception e) when (StartupFailure.Explain(e) is { } explanation)
{
    Console.Error.WriteLine($"SafetyNet cannot start: {explanation}");
    return 3;
}

// Every wrong setting at once: the start-up check reports one section's failures alone, or several sections' together.
static List<string> InvalidSettings(Exception e) => e switch
{
    OptionsValidationException invalid => [.. invalid.Failures],
    AggregateException all when all.InnerExceptions.All(inner => inner is OptionsValidationException) =>
        [.. all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures)],
    _ => [],
};
