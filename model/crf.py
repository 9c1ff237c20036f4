"""A linear-chain CRF over the entity tags of a window's labelled words.

The softmax head scores each word alone and Viterbi only forbids illegal BIO steps at decoding time; the CRF
learns how likely each legal step is (B-ORG → I-ORG against B-ORG → B-LOC, …) and trains the emission scores
jointly with them, so boundaries are learned as sequences. Illegal BIO steps are fixed at a large negative score,
never learned. Start and end scores are left out on purpose: a window's labelled part may begin or end inside a
name, so "no I- at the start" holds for documents (decoding enforces it) but not for windows.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .labels import IGNORE

ILLEGAL = -1e4


class BioCrf(nn.Module):
    def __init__(self, allowed: np.ndarray):
        super().__init__()
        n = len(allowed)
        self.transitions = nn.Parameter(torch.zeros(n, n))
        self.register_buffer("allowed", torch.as_tensor(allowed, dtype=torch.bool), persistent=False)

    def scores(self) -> torch.Tensor:
        """[from, to] transition scores with illegal steps masked."""
        return self.transitions.masked_fill(~self.allowed, ILLEGAL)

    def decoding_scores(self) -> np.ndarray:
        """Transition scores for `rasid.decode.viterbi` (illegal steps are -inf there)."""
        return self.transitions.detach().float().cpu().numpy()

    def forward(self, emissions: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
        """Negative log-likelihood of the gold chains, per labelled word (the scale of the cross-entropy it replaces).

        emissions [B, T, n] (one row per subword), tags [B, T] with IGNORE at unlabelled subwords. The labelled
        subwords of a window (first subwords of its own words) are read in order as one chain.
        """
        keep = tags != IGNORE
        if not keep.any():
            return emissions.sum() * 0.0
        order = torch.sort((~keep).to(torch.int8), dim=1, stable=True).indices[:, : int(keep.sum(1).max())]
        mask = keep.gather(1, order)
        em = emissions.float().gather(1, order[..., None].expand(-1, -1, emissions.size(-1)))
        tg = tags.gather(1, order).clamp(min=0)
        trans = self.scores()
        gold = (em.gather(2, tg[..., None]).squeeze(-1) * mask).sum(1)
        gold = gold + (trans[tg[:, :-1], tg[:, 1:]] * mask[:, 1:]).sum(1)
        alpha = em[:, 0]
        for t in range(1, em.size(1)):
            step = torch.logsumexp(alpha[:, :, None] + trans[None], dim=1) + em[:, t]
            alpha = torch.where(mask[:, t, None], step, alpha)
        rows = mask[:, 0]
        return (torch.logsumexp(alpha, dim=1) - gold)[rows].sum() / mask.sum()
