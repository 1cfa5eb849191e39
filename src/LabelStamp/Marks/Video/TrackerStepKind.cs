namespace LabelStamp.Marks.Video;

/// <summary>How <see cref="ReducedPhaseTracker.Step"/> reached its last step. A step of (1, 0, 0) means "the map stays",
/// which is a measurement on a still shot and a guess when nothing could be measured; a reader that chains the steps
/// treats the two differently (<see cref="RegisteredCanvas"/>).</summary>
public enum TrackerStepKind
{
    /// <summary>The stream's first frame: no step.</summary>
    First,

    /// <summary>Sharp patches agreed on the step (a step of 0 included: the picture stood still).</summary>
    Measured,

    /// <summary>No patch was sharp, but the whole-frame coarse correlation was: the step is the coarse one, in whole
    /// multiples of the coarse reduction.</summary>
    Coarse,

    /// <summary>Neither the patches nor the coarse correlation had a peak (or one patch beside striped quadrants): nothing
    /// was measured, the step returned is 0.</summary>
    NoPeak,

    /// <summary>Sharp patches disagreed about a common translation: no global motion, the step returned is 0.</summary>
    Disagreed,

    /// <summary>The patches fitted a zoom that <see cref="ReducedPhaseTracker.HoldOnZoom"/> holds: the step returned is 0.</summary>
    ZoomHeld,
}
