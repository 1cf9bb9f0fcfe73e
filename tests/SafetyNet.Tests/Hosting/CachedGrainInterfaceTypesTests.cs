using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization;
using Orleans.Serialization.TypeSystem;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Silo.Hosting;

namespace SafetyNet.Tests.Hosting;

/// <summary>
/// A grain's identity includes its interface's name, so the cache must name every interface exactly as Orleans' defaults
/// do: a reference made through the cache and one made without it must address the same grain.
/// </summary>
public sealed class CachedGrainInterfaceTypesTests
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private static readonly TypeConverter Types = Services.GetRequiredService<TypeConverter>();

    public static TheoryData<Type> GrainInterfaces()
    {
        var data = new TheoryData<Type>();
        foreach (var assembly in new[] { typeof(ICameraGrain).Assembly, typeof(IGrain).Assembly, typeof(IGrainFactory).Assembly }.Distinct())
        foreach (var type in assembly.GetTypes().Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t) && !t.ContainsGenericParameters))
            data.Add(type);
        data.Add(typeof(IGrainWithGenericInterface<ICameraGrain>));
        return data;
    }

    [Theory]
    [MemberData(nameof(GrainInterfaces))]
    public void Every_interface_is_named_as_Orleans_names_it(Type grainInterface)
    {
        var orleans = new GrainInterfaceTypeResolver([new AttributeGrainInterfaceTypeProvider(Services)], Types);
        var cached = new GrainInterfaceTypeResolver([new CachedGrainInterfaceTypes(Services, Types), new AttributeGrainInterfaceTypeProvider(Services)], Types);

        var expected = orleans.GetGrainInterfaceType(grainInterface);
        Assert.Equal(expected, cached.GetGrainInterfaceType(grainInterface));
        Assert.Equal(expected, cached.GetGrainInterfaceType(grainInterface));
    }

    [Fact]
    public void An_interface_named_by_its_attribute_keeps_that_name()
    {
        var cached = new GrainInterfaceTypeResolver([new CachedGrainInterfaceTypes(Services, Types)], Types);
        Assert.Equal("safetynet-test-named", cached.GetGrainInterfaceType(typeof(INamedTestGrain)).ToString());
    }

    [GrainInterfaceType("safetynet-test-named")]
    public interface INamedTestGrain : IGrainWithStringKey;

    public interface IGrainWithGenericInterface<T> : IGrainWithStringKey;
}
