"""The pair heads' context feature: the mean of the tokens between two spans, from prefix sums."""
import torch

from rasid.heads import between_mean


def _brute(hidden: torch.Tensor, a: tuple[int, int], b: tuple[int, int]) -> torch.Tensor:
    first, second = (a, b) if a[0] <= b[0] else (b, a)
    between = hidden[first[1] + 1 : second[0]]
    return between.mean(0) if len(between) else torch.zeros(hidden.size(-1))


def test_between_mean_matches_the_mean_of_the_tokens_between_the_spans():
    torch.manual_seed(0)
    hidden = torch.randn(1, 12, 5)
    prefix = torch.nn.functional.pad(hidden.cumsum(1), (0, 0, 1, 0))
    cases = [((0, 1), (5, 6)),   # a before b, three tokens between
             ((8, 9), (2, 3)),   # b before a
             ((2, 3), (4, 4)),   # adjacent: nothing between
             ((3, 7), (5, 5)),   # a trigger inside an entity («عملية» in «80 عملية»)
             ((0, 0), (11, 11))]  # the whole window apart
    a = torch.tensor([[c[0] for c in cases]])
    b = torch.tensor([[c[1] for c in cases]])
    got = between_mean(prefix, a, b)[0]
    for i, (sa, sb) in enumerate(cases):
        assert torch.allclose(got[i], _brute(hidden[0], sa, sb), atol=1e-5), cases[i]
