using System.Collections.Concurrent;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;

namespace SafetyNet.Silo.Hosting;

/// <summary>
/// Names each grain interface once. Orleans names the interface anew on every <c>GetGrain</c>: it reads the interface's
/// attributes and formats its type name, which measured 7 % of all an audited decision allocated in process and 10 % over
/// HTTP. Placed before Orleans' own provider, this answers from a cache what Orleans' defaults answer: the name an
/// interface's attribute gives, otherwise the name by convention.
/// </summary>
public sealed class CachedGrainInterfaceTypes(IServiceProvider services, TypeConverter typeConverter) : IGrainInterfaceTypeProvider
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _names = new();
    private readonly AttributeGrainInterfaceTypeProvider _attributes = new(services);
    private readonly GrainInterfaceTypeResolver _conventions = new([], typeConverter);

    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        if (!_names.TryGetValue(type, out grainInterfaceType))
            _names[type] = grainInterfaceType = _attributes.TryGetGrainInterfaceType(type, out var named)
                ? named
                : _conventions.GetGrainInterfaceTypeByConvention(type);
        return true;
    }

    /// <summary>Puts the cache ahead of every other provider, which Orleans asks in the order they were registered.</summary>
    public static void AddFirst(IServiceCollection services) =>
        services.Insert(0, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider, CachedGrainInterfaceTypes>());
}
