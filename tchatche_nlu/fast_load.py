"""Rasa's TensorFlow models (DIET, ResponseSelector) loaded without a training step.

`RasaModel.load` (rasa/utils/tensorflow/models.py) builds the weights by training one batch
(`model.fit`) before reading them from the model archive. Tracing that training step, with the
gradients of the CRF entity layer, is most of the servers' start: 103 of 124 s of
`Agent.load` under cProfile on a 2-core machine (`python bench/profile_load.py`), against
8 s for the prediction that follows. The weights a prediction uses are built just as well by
one prediction: this module runs one, reads the trained weights, then forgets what the first
prediction cached (the label embeddings, the traced function) so that nothing computed with
the random initial weights survives. Fine-tuning (`rasa train --finetune`) still trains one
step, as it needs the optimizer's state.

Installed by tchatche_nlu/urgence.py, which our other NLU components import too: the model's
graph imports them before it loads DIET, in every command that loads a model (rasa run, shell,
test, interactive). Not by the package's __init__: the action server imports
tchatche_nlu.retrieval, and must not import TensorFlow.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import tensorflow as tf
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)
_rasa_load = RasaModel.load.__func__  # type: ignore[attr-defined]


def _load(
    cls: type[RasaModel],
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: RasaModelData | None = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    if finetune_mode or predict_data_example is None:
        return _rasa_load(
            cls,
            model_file_name,
            model_data_example,
            predict_data_example,
            finetune_mode,
            *args,
            **kwargs,
        )
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
        run_eagerly=config.get(RUN_EAGERLY),
    )
    model.run_inference(predict_data_example)  # creates the weights a prediction uses
    # Optimizer slots stay in the archive, unread: no training happens here.
    model.load_weights(model_file_name).expect_partial()
    model.prepared_for_prediction = False  # label embeddings were computed with random weights
    model._tf_predict_step = None  # its trace may hold them as constants
    model.run_inference(predict_data_example)  # the first prediction's trace, as Rasa does
    logger.debug("Loaded %s without a training step.", cls.__name__)
    return model


def install() -> None:
    """Replaces RasaModel.load (idempotent); TCHATCHE_RASA_LOAD=1 keeps Rasa's own, to compare."""
    if os.environ.get("TCHATCHE_RASA_LOAD") == "1":
        return
    if getattr(RasaModel.load, "__func__", None) is not _load:
        RasaModel.load = classmethod(_load)  # type: ignore[method-assign,assignment]
