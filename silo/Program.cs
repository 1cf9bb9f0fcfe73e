using Microsoft.Extensions.Options;
using SafetyNet.Silo.Hosting;

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
catch (OptionsValidationException e)
{
    Console.Error.WriteLine("SafetyNet cannot start: the configuration is invalid.");
    foreach (var failure in e.Failures) Console.Error.WriteLine($"  - {failure}");
    return 2;
}
catch (Exception e) when (StartupFailure.Explain(e) is { } explanation)
{
    Console.Error.WriteLine($"SafetyNet cannot start: {explanation}");
    return 3;
}
