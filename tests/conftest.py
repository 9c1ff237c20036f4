"""Shared fixtures: the built default encoder (built once per machine into the rasid cache) and shared data."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "seed-article.txt"


@pytest.fixture(scope="session")
def encoder_dir() -> Path:
    from rasid.encoder import default_encoder

    return default_encoder()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory, encoder_dir):
    """A 2-layer random BERT with the built tokenizer, saved as a plain Hugging Face directory."""
    from transformers import AutoTokenizer, BertConfig, BertModel

    path = tmp_path_factory.mktemp("tiny-encoder")
    tok = AutoTokenizer.from_pretrained(encoder_dir)
    BertModel(BertConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=64, max_position_embeddings=128), add_pooling_layer=False).save_pretrained(path)
    tok.save_pretrained(path)
    return str(path)


@pytest.fixture(scope="session")
def saved_model(tmp_path_factory, tiny_encoder):
    """A saved joint model (untrained heads for every layer) on the tiny encoder."""
    import torch

    from rasid.heads import JointModel, ModelSpec

    spec = ModelSpec(encoder=tiny_encoder, entity_labels=["O", "B-ORG", "I-ORG", "B-LOC", "I-LOC"],
                     trigger_labels=["O", "B-KILL", "I-KILL"], roles=["AGENT"], relations=["PART_OF"])
    torch.manual_seed(0)
    model, _ = JointModel.create(spec)
    path = tmp_path_factory.mktemp("model")
    model.save(path)
    return path
