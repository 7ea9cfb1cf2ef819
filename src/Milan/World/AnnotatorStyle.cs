namespace Milan.World;

/// <summary>
/// The three simulated annotators of a unit, three people who differ in how closely they look and
/// how much they write (<see cref="AnnotatorTraits"/>). Terse: glances at ten exemplars and names
/// the thing ("faces"). Verbose: looks at all of them, adds colour, size and a second thing ("small
/// beige faces and text"). Relational: looks at twelve, says where things are and what they are next
/// to ("fish next to plants", "text in the top left corner").
/// </summary>
public enum AnnotatorStyle
{
    Terse,
    Verbose,
    Relational,
}
