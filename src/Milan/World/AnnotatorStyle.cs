namespace Milan.World;

/// <summary>
/// How a simulated annotator words what it sees. Terse: the best explanation in the plainest words
/// ("fish"). Verbose: synonyms, a colour adjective when the colour explains the regions about as
/// well, sometimes where they are ("orange fish in the center"). Relational: prefers a relation
/// between objects or a position when one explains the regions nearly as well ("fish next to plants").
/// </summary>
public enum AnnotatorStyle
{
    Terse,
    Verbose,
    Relational,
}
