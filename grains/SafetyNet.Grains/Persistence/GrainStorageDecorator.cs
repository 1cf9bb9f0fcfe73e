using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace SafetyNet.Grains.Persistence;

/// <summary>
/// Puts a decorator around the grain storage registered as a name (Orleans' own registration, whose lifecycle participant
/// resolves the same keyed service and so reaches the inner storage through the decorator's Participate).
/// </summary>
public static class GrainStorageDecorator
{
    public static void Wrap(IServiceCollection services, string name, Func<IServiceProvider, IGrainStorage, IGrainStorage> decorate)
    {
        var registered = services.Single(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => decorate(provider, (IGrainStorage)registered.KeyedImplementationFactory!(provider, key)));
    }
}
