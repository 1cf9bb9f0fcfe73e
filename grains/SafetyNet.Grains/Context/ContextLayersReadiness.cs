namespace SafetyNet.Grains.Context;

/// <summary>Where this node's read-back of the context layers at start stands (<see cref="ContextLayerWarmUp"/>).</summary>
public enum ContextLayersReadiness
{
    Loading,
    Loaded,
    Failed,
}
